package dev.vfiokit.iommucheck.check;

import dev.vfiokit.iommucheck.host.Bar;
import dev.vfiokit.iommucheck.host.HostSnapshot;
import dev.vfiokit.iommucheck.host.Mmio64Window;
import dev.vfiokit.iommucheck.host.PciDevice;

import java.util.ArrayList;
import java.util.List;

/**
 * Large BARs (an H100's 128 GiB, an A100-80G's): the host must have given them an address, and the guest needs a
 * 64-bit MMIO window that holds them, or its driver sees "BAR0 is 0M". Per target, and once for all targets together
 * (the GPUs of one guest share its window).
 */
public final class LargeBarCheck implements Check {
    @Override
    public List<Finding> run(HostSnapshot host, List<PciDevice> targets) {
        List<Finding> out = new ArrayList<>();
        List<PciDevice> large = new ArrayList<>();
        for (PciDevice d : targets) {
            List<String> ev = d.bars().stream().map(b -> "BAR" + b.index() + " " + Bar.label(b.size()) + (b.is64() ? " 64-bit" : " 32-bit")
                    + (b.prefetchable() ? " prefetchable" : "") + (b.assigned() ? "" : " unassigned")).toList();
            if (d.bars().isEmpty()) {
                continue;
            }
            Bar unassigned = d.bars().stream().filter(b -> !b.assigned()).findFirst().orElse(null);
            if (unassigned != null) {
                out.add(new Finding("device.bar", Severity.FAIL, d.address().toString(), "BAR" + unassigned.index() + " ("
                        + Bar.label(unassigned.size()) + ") has no address on the host: the firmware left it unassigned, and the "
                        + "device cannot work on the host or in a guest", "enable Above 4G Decoding (and Resizable BAR, where offered) "
                        + "in the firmware setup; on older kernels or firmware, boot the host with pci=realloc", ev));
                continue;
            }
            Mmio64Window w = Mmio64Window.of(List.of(d));
            if (w.exceedsOvmfDefault()) {
                large.add(d);
                out.add(new Finding("device.bar", Severity.WARN, d.address().toString(), "64-bit BARs of " + Bar.label(w.barBytes())
                        + ": a guest needs a 64-bit MMIO window of " + Bar.label(w.windowBytes()) + ", more than OVMF's default "
                        + Bar.label(Mmio64Window.OVMF_DEFAULT), hint(w, List.of(d)), ev));
            } else {
                if (w.barBytes() > 0) {
                    large.add(d);
                }
                out.add(Finding.pass("device.bar", d.address().toString(), w.barBytes() == 0 ? "no 64-bit BARs"
                        : "64-bit BARs of " + Bar.label(w.barBytes()) + " fit OVMF's default window of " + Bar.label(Mmio64Window.OVMF_DEFAULT), ev));
            }
        }
        if (large.size() > 1) {
            Mmio64Window all = Mmio64Window.of(large);
            String subject = String.join(" ", large.stream().map(d -> d.address().toString()).toList());
            out.add(all.exceedsOvmfDefault()
                    ? new Finding("guest.mmio64", Severity.WARN, subject, "these devices in one guest need a 64-bit MMIO window of "
                            + Bar.label(all.windowBytes()) + " (BARs of " + Bar.label(all.barBytes()) + ")", hint(all, large), List.of())
                    : Finding.pass("guest.mmio64", subject, "these devices in one guest fit OVMF's default 64-bit window", List.of()));
        }
        return out;
    }

    private static String hint(Mmio64Window w, List<PciDevice> devices) {
        // one device: the command that generates its guest; several: whichever of them a guest gets decides the window
        String generated = devices.size() == 1 ? "a generated domain gets it: " + FixCommand.of("domain", "generate", "--template",
                "gpu-compute", "--name", "large-bar-guest", "--gpu", devices.get(0).address().toString())
                : "domain generate sets it for the GPUs a guest gets";
        return generated + "; in a hand-written domain (UEFI guests; libvirt reserves the name in "
                + "<sysinfo type='fwcfg'>): <qemu:commandline><qemu:arg value='-fw_cfg'/><qemu:arg value='name="
                + Mmio64Window.FW_CFG_ENTRY + ",string=" + w.windowMiB() + "'/></qemu:commandline> "
                + "(xmlns:qemu='http://libvirt.org/schemas/domain/qemu/1.0')";
    }
}
