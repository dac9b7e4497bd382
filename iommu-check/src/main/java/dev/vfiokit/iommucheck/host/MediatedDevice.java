package dev.vfiokit.iommucheck.host;

/** An existing mediated device: its UUID, parent, type and IOMMU group. */
public record MediatedDevice(String uuid, String parent, String type, Integer iommuGroup) {
}
