package dev.vfiokit.iommucheck.check;

import dev.vfiokit.iommucheck.host.HostSnapshot;
import dev.vfiokit.iommucheck.host.PciDevice;
import dev.vfiokit.iommucheck.host.Sriov;

import java.util.ArrayList;
import java.util.List;

/** Every SR-IOV physical function on the host: VFs possible, VFs enabled, and the driver that can create them. */
public final class SriovCheck implements Check {
    @Override
    public List<Finding> run(HostSnapshot host, List<PciDevice> targets) {
        List<Finding> out = new ArrayList<>();
        for (PciDevice pf : host.devices()) {
            if (!pf.isSriovPhysicalFunction()) {
                continue;
            }
            Sriov s = pf.sriov();
            String subject = pf.address().toString();
            List<String> ev = List.of("sriov_totalvfs=" + s.totalVfs(), "sriov_numvfs=" + s.numVfs(),
                    "driver=" + (pf.driver() == null ? "none" : pf.driver()),
                    "netdevs: " + (pf.netdevs().isEmpty() ? "none" : String.join(" ", pf.netdevs())));
            if (pf.driver() == null && host.facts() == dev.vfiokit.iommucheck.host.FactSource.LIBVIRT) {
                out.add(Finding.pass("sriov.pf", subject, "SR-IOV PF: " + s.numVfs() + " of " + s.totalVfs()
                        + " VFs enabled (libvirt does not say which driver holds it)", ev));
            } else if (pf.driver() == null) {
                out.add(new Finding("sriov.pf", Severity.WARN, subject, "SR-IOV capable (" + s.totalVfs()
                        + " VFs) but no driver: VFs cannot be created (the kernel answers ENOENT)",
                        "load the PF's driver (e.g. modprobe " + (pf.isNetwork() ? "ice / i40e / mlx5_core" : "the vendor driver") + ")", ev));
            } else {
                out.add(new Finding("sriov.pf", Severity.PASS, subject, "SR-IOV PF (" + pf.driver() + "): " + s.numVfs()
                        + " of " + s.totalVfs() + " VFs enabled", s.numVfs() == 0 ? FixCommand.of("vf", "create", "--pf", subject, "--count", String.valueOf(Math.min(s.totalVfs(), 8)))
                                + " (up to " + s.totalVfs() + ")" : "", ev));
            }
        }
        return out;
    }
}
