package dev.vfiokit.iommucheck.host;

import java.util.List;

/** An IOMMU group and the PCI functions in it. */
public record IommuGroup(int id, List<PciAddress> members) {
    public IommuGroup {
        members = List.copyOf(members);
    }
}
