package dev.vfiokit.iommucheck.check;

import dev.vfiokit.iommucheck.host.HostSnapshot;
import dev.vfiokit.iommucheck.host.PciDevice;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The IOMMU in firmware (ACPI DMAR on Intel, IVRS on AMD) and active in the kernel (groups, /sys/class/iommu).
 * Looks at what the kernel did, not only at the command line: Intel is on by default since 6.8 on kernels
 * built that way, and {@code amd_iommu=on} is not a value the kernel knows.
 */
public final class IommuCheck implements Check {
    private static final String PT_ADVICE = "optional: iommu=pt keeps host-owned devices out of DMA translation (less overhead)";

    @Override
    public List<Finding> run(HostSnapshot host, List<PciDevice> targets) {
        List<Finding> out = new ArrayList<>();
        boolean arm = host.cpu().isArm64();
        boolean amd = !arm && isAmdIommu(host);
        // arm64 servers describe the SMMUv3 in ACPI IORT (device tree hosts have no ACPI tables: /sys/class/iommu tells)
        String table = arm ? "IORT" : amd ? "IVRS" : "DMAR";
        String tech = arm ? "SMMUv3" : amd ? "AMD-Vi" : "VT-d";
        boolean firmware = host.acpiTables().contains(table)
                || (arm && host.iommuUnits().stream().anyMatch(u -> u.startsWith("smmu3.")));
        List<String> args = Arrays.asList(host.cmdline().split("\\s+"));
        List<String> fwEv = List.of("ACPI tables: " + (host.acpiTables().isEmpty() ? "none readable"
                : String.join(" ", host.acpiTables().stream().sorted().toList())));
        if (firmware) {
            out.add(Finding.pass("iommu.firmware", "host", tech + " is described by firmware (ACPI " + table + ")", fwEv));
        } else {
            out.add(new Finding("iommu.firmware", Severity.FAIL, "host", "no ACPI " + table + " table: " + tech
                    + " is off or absent in firmware", arm ? "enable the SMMU in the firmware setup (servers: often 'SMMU' or "
                    + "'IOMMU' under PCIe configuration); the kernel needs arm-smmu-v3" : "enable " + (amd ? "IOMMU / AMD-Vi (often under NBIO or AMD CBS)"
                    : "VT-d (Intel Virtualization Technology for Directed I/O)") + " in the firmware setup", fwEv));
        }

        List<String> ev = new ArrayList<>();
        ev.add("/sys/class/iommu: " + (host.iommuUnits().isEmpty() ? "empty" : String.join(" ", host.iommuUnits())));
        ev.add("IOMMU groups: " + host.groups().size());
        ev.add("kernel " + host.kernelRelease() + ", command line: " + host.cmdline());
        boolean pt = args.contains("iommu=pt");
        if (host.iommuActive()) {
            out.add(new Finding("iommu.kernel", Severity.PASS, "host", tech + " is active: " + host.groups().size()
                    + " IOMMU groups", pt ? "" : PT_ADVICE, ev));
        } else {
            out.add(new Finding("iommu.kernel", Severity.FAIL, "host", "the kernel runs without an IOMMU: no groups, "
                    + "no /sys/class/iommu entries", kernelHint(host, amd, args), ev));
        }
        if (amd && args.contains("amd_iommu=on")) {
            out.add(new Finding("iommu.cmdline", Severity.WARN, "host", "amd_iommu=on is not a valid value and is ignored",
                    "remove amd_iommu=on; AMD-Vi is on by default when firmware enables it (valid values: off, force_isolation, fullflush, pgtbl_v1/v2)",
                    List.of("kernel command line: " + host.cmdline())));
        }
        return out;
    }

    private static String kernelHint(HostSnapshot host, boolean amd, List<String> args) {
        if (host.cpu().isArm64()) {
            return "the arm-smmu-v3 driver binds the SMMUs that IORT describes: load or build it (CONFIG_ARM_SMMU_V3), drop "
                    + "iommu.passthrough=1 only if you need translation for host devices, and check dmesg for arm-smmu-v3 errors";
        }
        if (args.contains("iommu=off") || args.contains("intel_iommu=off") || args.contains("amd_iommu=off")) {
            return "remove " + args.stream().filter(a -> a.equals("iommu=off") || a.endsWith("_iommu=off")).findFirst().orElse("")
                    + " from the kernel command line (GRUB_CMDLINE_LINUX in /etc/default/grub, update-grub, reboot)";
        }
        if (amd) {
            return "AMD-Vi is on by default when firmware enables it (note: amd_iommu=on is not a valid value); "
                    + "enable IOMMU in the firmware setup and check dmesg for AMD-Vi errors; " + PT_ADVICE;
        }
        String base = "add intel_iommu=on to the kernel command line (GRUB_CMDLINE_LINUX in /etc/default/grub, "
                + "update-grub, reboot); " + PT_ADVICE;
        return atLeast(host.kernelRelease(), 6, 8)
                ? base + "; kernel 6.8+ enables VT-d by default only when built with CONFIG_INTEL_IOMMU_DEFAULT_ON"
                : base + "; kernels before 6.8 leave VT-d off by default";
    }

    /**
     * The IOMMU's vendor from what firmware and kernel show (DMAR/dmarN is VT-d, IVRS/ivhdN is AMD-Vi), the CPU
     * vendor only when neither says: a check that assumes one from the other misreads virtual and odd hosts.
     */
    static boolean isAmdIommu(HostSnapshot host) {
        if (host.acpiTables().contains("DMAR")) {
            return false;
        }
        if (host.acpiTables().contains("IVRS")) {
            return true;
        }
        if (host.iommuUnits().stream().anyMatch(u -> u.startsWith("dmar"))) {
            return false;
        }
        if (host.iommuUnits().stream().anyMatch(u -> u.startsWith("ivhd"))) {
            return true;
        }
        return host.cpu().isAmd();
    }

    static boolean atLeast(String release, int major, int minor) {
        String[] p = release.split("[.-]");
        try {
            int ma = Integer.parseInt(p[0]);
            int mi = p.length > 1 ? Integer.parseInt(p[1]) : 0;
            return ma > major || (ma == major && mi >= minor);
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
