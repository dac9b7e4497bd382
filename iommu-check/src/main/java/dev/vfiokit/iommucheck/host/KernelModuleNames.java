package dev.vfiokit.iommucheck.host;

/** modprobe treats '-' and '_' in module names alike; so do we. */
final class KernelModuleNames {
    private KernelModuleNames() {
    }

    static String normalize(String name) {
        return name.replace('-', '_');
    }
}
