package dev.vfiokit.iommucheck.host;

/** Hugepages of one size on one NUMA node. */
public record Hugepages(long sizeKb, long total, long free) {
    public long freeBytes() {
        return free * sizeKb * 1024L;
    }

    public String sizeLabel() {
        return sizeKb >= 1048576 ? (sizeKb / 1048576) + "G" : (sizeKb / 1024) + "M";
    }
}
