package dev.vfiokit.iommucheck.host;

/**
 * Where a snapshot's facts come from: the host's own sysfs/procfs, libvirt's node devices and capabilities, or the
 * host's sysfs read for IOMMU groups alone ({@link HostSnapshotReader#readGroups}: each function's ids, class, driver,
 * group and network interfaces, the storage in use and the default route; every other fact is left empty, so such a
 * snapshot is for {@code groups} and nothing that judges a host: {@link #requireWhole} refuses it).
 */
public enum FactSource {
    SYSFS, LIBVIRT, SYSFS_GROUPS;

    /** Refuses a snapshot read for groups alone where {@code what} needs every fact a host shows. */
    public void requireWhole(String what) {
        if (this == SYSFS_GROUPS) {
            throw new IllegalArgumentException(what + " needs the whole host: this snapshot was read for IOMMU groups only");
        }
    }
}
