package dev.vfiokit.iommucheck.host;

/** A mediated-device type a parent offers (e.g. an NVIDIA vGPU profile), with its free instances. */
public record MdevType(String id, String name, String description, String deviceApi, int availableInstances) {
}
