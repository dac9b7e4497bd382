package dev.vfiokit.iommucheck.host;

import java.util.Map;

/** A module the kernel has: loaded from /proc/modules, or built in (present in /sys/module only). */
public record KernelModule(String name, boolean builtin, Map<String, String> parameters) {
    public KernelModule {
        parameters = Map.copyOf(parameters);
    }
}
