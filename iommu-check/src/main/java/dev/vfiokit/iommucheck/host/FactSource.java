package dev.vfiokit.iommucheck.host;

/** Where a snapshot's facts come from: the host's own sysfs/procfs, or libvirt's node devices and capabilities. */
public enum FactSource {
    SYSFS, LIBVIRT
}
