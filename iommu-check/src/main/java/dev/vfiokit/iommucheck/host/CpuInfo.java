package dev.vfiokit.iommucheck.host;

import java.util.Set;

/**
 * What /proc/cpuinfo says about the processor: vendor ("GenuineIntel", "AuthenticAMD"; on arm64 the implementer,
 * "ARM" for 0x41), model and flags (arm64: its "Features"), and {@code arch} ("x86_64", "aarch64"), told by the
 * file's own keys (vendor_id on x86, CPU implementer on arm64).
 */
public record CpuInfo(String vendor, String model, Set<String> flags, int logicalCpus, String arch) {
    public static final String X86_64 = "x86_64";
    public static final String AARCH64 = "aarch64";

    public CpuInfo {
        flags = Set.copyOf(flags);
    }

    public CpuInfo(String vendor, String model, Set<String> flags, int logicalCpus) {
        this(vendor, model, flags, logicalCpus, X86_64);
    }

    public boolean isArm64() {
        return AARCH64.equals(arch);
    }

    public boolean isIntel() {
        return "GenuineIntel".equals(vendor);
    }

    public boolean isAmd() {
        return "AuthenticAMD".equals(vendor) || "HygonGenuine".equals(vendor);
    }

    /** vmx on Intel, svm on AMD; arm64 has no such flag (EL2 is there or not: /dev/kvm tells). */
    public boolean hasVirtualization() {
        return flags.contains("vmx") || flags.contains("svm");
    }
}
