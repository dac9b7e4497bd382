package dev.vfiokit.iommucheck.host;

import java.util.List;

/**
 * A NUMA node: its CPUs, its hugepages per size, and its memory in KiB (the node's MemTotal; 0 where not known, as on
 * a host whose memory was not read).
 */
public record NumaNode(int id, List<Integer> cpus, List<Hugepages> hugepages, long memoryKib) {
    public NumaNode {
        cpus = List.copyOf(cpus);
        hugepages = List.copyOf(hugepages);
    }

    /** A node whose memory is not known. */
    public NumaNode(int id, List<Integer> cpus, List<Hugepages> hugepages) {
        this(id, cpus, hugepages, 0);
    }
}
