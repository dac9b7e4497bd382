package dev.vfiokit.iommucheck.host;

/**
 * A function's power state as sysfs shows it (Documentation/ABI/testing/sysfs-bus-pci): {@code power_state} ("D0",
 * "D3hot", "D3cold", "unknown"; kernel 5.16+) and {@code d3cold_allowed} (whether runtime PM may put it in D3cold);
 * either is null where the kernel has no such file.
 */
public record DevicePower(String state, Boolean d3coldAllowed) {
    public static final DevicePower UNKNOWN = new DevicePower(null, null);

    public boolean inD3cold() {
        return "D3cold".equals(state);
    }
}
