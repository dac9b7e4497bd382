package dev.vfiokit.iommucheck.host;

import java.util.List;

/** A NUMA node: its CPUs and its hugepages per size. */
public record NumaNode(int id, List<Integer> cpus, List<Hugepages> hugepages) {
    public NumaNode {
        cpus = List.copyOf(cpus);
        hugepages = List.copyOf(hugepages);
    }

}
