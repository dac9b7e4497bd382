package dev.vfiokit.iommucheck.host;

import java.util.List;

/**
 * A device that offers mediated-device types: a GPU (or, for SR-IOV vGPU, one of its VFs), or a virtual
 * parent such as the kernel's mtty sample. {@code name} is its mdev_bus name (the PCI address for PCI parents);
 * {@code sysfsPath} the absolute path of its device directory.
 */
public record MdevParent(String name, PciAddress pciAddress, String sysfsPath, List<MdevType> types) {
    public MdevParent {
        types = List.copyOf(types);
    }
}
