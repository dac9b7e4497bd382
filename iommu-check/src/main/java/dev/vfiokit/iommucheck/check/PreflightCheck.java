package dev.vfiokit.iommucheck.check;

import dev.vfiokit.iommucheck.host.FactSource;
import dev.vfiokit.iommucheck.host.HostSnapshot;
import dev.vfiokit.iommucheck.host.PciAddress;
import dev.vfiokit.iommucheck.host.PciDevice;

import java.util.ArrayList;
import java.util.List;

/** The whole pre-flight check: host-wide checks, then per-target checks, then SR-IOV and mdev inventory. */
public final class PreflightCheck {
    private final List<Check> checks = List.of(new CpuVirtualizationCheck(), new IommuCheck(),
            new InterruptRemappingCheck(), new VfioModulesCheck(), new VfioBackendCheck(), new GroupIsolationCheck(), new HostDriverCheck(),
            new VfioDriverCheck(),
            new BootVgaCheck(), new MultifunctionCheck(), new ResetCheck(), new AmdResetCheck(), new PowerCheck(), new RomCheck(), new LargeBarCheck(), new DeviceUsersCheck(), new LinkCheck(),
            new NumaCheck(), new SriovCheck(), new MdevCheck(), new MigCheck(), new NvswitchCheck());

    /**
     * Targets: the given addresses (each must exist on the host), or, when none are given, every GPU but BMC
     * display controllers (ASPEED, Matrox G200), which nobody passes to a guest, and SR-IOV VFs (their GPU's
     * findings cover them).
     *
     * @throws IllegalArgumentException naming the first address the host does not have
     */
    public static List<PciDevice> targets(HostSnapshot host, List<PciAddress> devices) {
        if (devices.isEmpty()) {
            return host.gpus().stream().filter(g -> !isBmcDisplay(g) && !g.isVirtualFunction()).toList();
        }
        List<PciDevice> out = new ArrayList<>();
        for (PciAddress a : devices) {
            out.add(host.device(a).orElseThrow(() -> new IllegalArgumentException(
                    "no PCI device " + a + " on host " + host.source() + " (see: vfiokit devices)")));
        }
        return out;
    }

    private static boolean isBmcDisplay(PciDevice d) {
        return d.vendorId() == 0x1a03 || (d.vendorId() == 0x102b && d.deviceId() >= 0x0522 && d.deviceId() <= 0x0538);
    }

    /** Checks that libvirt's node devices answer; the others need the host's own sysfs, procfs and /etc. */
    private static final java.util.Set<Class<?>> LIBVIRT_VISIBLE = java.util.Set.of(GroupIsolationCheck.class,
            MultifunctionCheck.class, LinkCheck.class, SriovCheck.class, MdevCheck.class);

    public Report run(HostSnapshot host, List<PciDevice> targets) {
        return run(host, targets, "");
    }

    /**
     * The report, with every command in a hint completed by {@code hostOptions}: the options that named this host
     * ({@code " --host demo"}), so that a hint pasted as printed acts on the host that was checked.
     */
    public Report run(HostSnapshot host, List<PciDevice> targets, String hostOptions) {
        host.facts().requireWhole("the pre-flight check");
        List<Finding> findings = new ArrayList<>();
        for (Check c : checks) {
            List<Finding> out = c.run(host, targets);
            if (host.facts() == FactSource.LIBVIRT && !LIBVIRT_VISIBLE.contains(c.getClass())) {
                out = out.stream().map(f -> new Finding(f.id(), Severity.SKIP, f.subject(),
                        "not visible through libvirt: run vfiokit check on the host itself", "", List.of())).distinct().toList();
            }
            for (Finding f : out) {
                findings.add(f.hint().contains(FixCommand.TARGET) ? new Finding(f.id(), f.severity(), f.subject(), f.message(),
                        f.hint().replace(FixCommand.TARGET, hostOptions), f.evidence()) : f);
            }
        }
        // host findings first, then each target's findings together, then the host's SR-IOV/mdev inventory
        List<String> order = targets.stream().map(d -> d.address().toString()).toList();
        List<Finding> sorted = new ArrayList<>(findings);
        sorted.sort(java.util.Comparator.comparingInt(f -> rank(f, order)));
        return new Report(host.source(), order, sorted);
    }

    private static int rank(Finding f, List<String> targets) {
        if (f.subject().equals("host")) {
            return -1;
        }
        int i = targets.indexOf(f.subject());
        return i >= 0 && !f.id().startsWith("sriov.") && !f.id().startsWith("mdev.") ? i : targets.size();
    }
}
