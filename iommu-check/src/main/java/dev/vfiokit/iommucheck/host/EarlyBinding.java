package dev.vfiokit.iommucheck.host;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Configuration that hands devices to vfio-pci at boot, before a host driver can take them:
 * {@code options vfio-pci ids=} and {@code softdep X pre: vfio-pci} in modprobe.d, {@code vfio-pci.ids=} on
 * the kernel command line, and driverctl's per-address overrides.
 */
public record EarlyBinding(Set<String> vfioIds, Set<String> softdepsBeforeVfio,
                           Map<PciAddress, String> driverctlOverrides, List<String> sources) {
    /** None known: nothing was read (a snapshot through libvirt, or one read for groups alone). */
    public static final EarlyBinding NONE = new EarlyBinding(Set.of(), Set.of(), Map.of(), List.of());

    public EarlyBinding {
        vfioIds = Set.copyOf(vfioIds);
        softdepsBeforeVfio = Set.copyOf(softdepsBeforeVfio);
        driverctlOverrides = Map.copyOf(driverctlOverrides);
        sources = List.copyOf(sources);
    }

    /** How this device would reach vfio-pci at boot, or null when nothing configures it. */
    public String configuredFor(PciDevice d) {
        if ("vfio-pci".equals(driverctlOverrides.get(d.address()))) {
            return "driverctl override for " + d.address();
        }
        if (vfioIds.contains(d.ids())) {
            return "vfio-pci ids=" + d.ids();
        }
        return null;
    }
}
