package dev.vfiokit.iommucheck.host;

import java.util.List;

/**
 * One logical CPU with its core, package, NUMA node, SMT siblings (pinning keeps siblings together) and the CPUs that
 * share its last-level cache (an AMD CCX, an Intel socket's L3): a guest kept inside one shares its cache with nobody
 * else's vCPUs. {@code llcSiblings} is empty when the host does not say.
 */
public record CpuThread(int cpu, int coreId, int packageId, int numaNode, List<Integer> siblings, List<Integer> llcSiblings) {
    public CpuThread {
        siblings = List.copyOf(siblings);
        llcSiblings = List.copyOf(llcSiblings);
    }

    public CpuThread(int cpu, int coreId, int packageId, int numaNode, List<Integer> siblings) {
        this(cpu, coreId, packageId, numaNode, siblings, List.of());
    }
}
