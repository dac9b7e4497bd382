package dev.vfiokit.iommucheck.host;

import java.util.Map;

/**
 * The VFIO user interfaces a kernel offers (Documentation/driver-api/vfio.rst): the legacy group/container path
 * ({@code /dev/vfio/vfio}, type1), iommufd ({@code /dev/iommu}, CONFIG_IOMMUFD, kernel 6.2+) and the VFIO device
 * character device ({@code /dev/vfio/devices/vfioN}, CONFIG_VFIO_DEVICE_CDEV, kernel 6.6+), which QEMU and libvirt
 * need to use iommufd. {@code kernelConfig}: the CONFIG_ lines of /boot/config-RELEASE that decide these (empty where
 * the host has no such file); a node seen in /dev outranks the config.
 */
public record VfioInterfaces(boolean containerNode, boolean iommuNode, boolean cdevDirectory, Map<String, String> kernelConfig) {
    public static final VfioInterfaces UNKNOWN = new VfioInterfaces(false, false, false, Map.of());
    /** The options read from the kernel's config: the rest of that file says nothing about VFIO's interfaces. */
    public static final java.util.List<String> CONFIG_KEYS = java.util.List.of("CONFIG_VFIO", "CONFIG_VFIO_CONTAINER",
            "CONFIG_IOMMUFD", "CONFIG_IOMMUFD_VFIO_CONTAINER", "CONFIG_VFIO_DEVICE_CDEV", "CONFIG_VFIO_PCI");

    public VfioInterfaces {
        kernelConfig = Map.copyOf(kernelConfig);
    }

    /** "y", "m", "n" (set off, as "# CONFIG_X is not set" writes it) or null where the config was not read. */
    public String config(String key) {
        return kernelConfig.get(key);
    }

    /** iommufd is there now (/dev/iommu) or can be loaded (built as a module). */
    public boolean iommufd() {
        return iommuNode || "y".equals(config("CONFIG_IOMMUFD")) || "m".equals(config("CONFIG_IOMMUFD"));
    }

    /** The VFIO device cdev: /dev/vfio/devices exists once a device is bound, the config says so before. */
    public boolean cdev() {
        return cdevDirectory || "y".equals(config("CONFIG_VFIO_DEVICE_CDEV"));
    }

    /** Both halves QEMU's {@code -object iommufd} and libvirt's {@code iommufd='yes'} need. */
    public boolean iommufdBackend() {
        return iommufd() && cdev();
    }
}
