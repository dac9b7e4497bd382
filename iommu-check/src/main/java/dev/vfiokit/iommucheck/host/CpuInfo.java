package dev.vfiokit.iommucheck.host;

import java.util.Set;

/** What /proc/cpuinfo says about the processor: vendor ("GenuineIntel", "AuthenticAMD"), model and flags. */
public record CpuInfo(String vendor, String model, Set<String> flags, int logicalCpus) {

    public CpuInfo {
        flags = Set.copyOf(flags);
    }

    public boolean isIntel() {
        return "GenuineIntel".equals(vendor);
    }

    public boolean isAmd() {
        return "AuthenticAMD".equals(vendor) || "HygonGenuine".equals(vendor);
    }

    /** vmx on Intel, svm on AMD. */
    public boolean hasVirtualization() {
        return flags.contains("vmx") || flags.contains("svm");
    }
}
