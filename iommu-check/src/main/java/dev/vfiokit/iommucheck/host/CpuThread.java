package dev.vfiokit.iommucheck.host;

import java.util.List;

/** One logical CPU with its core, package, NUMA node and SMT siblings (pinning keeps siblings together). */
public record CpuThread(int cpu, int coreId, int packageId, int numaNode, List<Integer> siblings) {
    public CpuThread {
        siblings = List.copyOf(siblings);
    }
}
