package dev.vfiokit.tuning;

import dev.vfiokit.iommucheck.host.CpuList;
import org.w3c.dom.Element;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What other domains hold of a host's NUMA resources: the CPUs they are pinned to, and the hugepages they have been
 * promised on each node. The tuner places a domain around it. Provisioning, which places many domains on one host
 * before any starts, adds each domain it placed ({@link #with}), so the next one gets what is left: one placement
 * policy, whoever places.
 *
 * @param cpus  the CPUs other domains are pinned to
 * @param pages hugepages promised to domains that have not taken them from the host yet (not started)
 */
public record NumaLedger(PinnedCpus cpus, List<PageClaim> pages) {
    public static final NumaLedger NONE = new NumaLedger(PinnedCpus.NONE, List.of());

    /** {@code count} pages of {@code sizeKb} on {@code node}, promised to {@code domain}. */
    public record PageClaim(String domain, int node, long sizeKb, long count) {
    }

    public NumaLedger {
        pages = List.copyOf(pages);
    }

    /**
     * Only the pins of these definitions: libvirt takes a domain's hugepages from the host when it starts, so the
     * pages of running domains are gone from the host's free count already, and defined ones hold none.
     */
    public static NumaLedger of(Map<String, Element> definitions) {
        return new NumaLedger(PinnedCpus.of(definitions), List.of());
    }

    /** Without what this domain holds: the one being placed keeps its own. */
    public NumaLedger without(String domain) {
        return new NumaLedger(cpus.without(domain), pages.stream().filter(p -> !p.domain().equals(domain)).toList());
    }

    /** With what a domain just placed holds: its pinned CPUs, and its hugepages on its memory's first node. */
    public NumaLedger with(String name, Element domain) {
        Map<Integer, String> byCpu = new HashMap<>(cpus.byCpu());
        PinnedCpus.of(Map.of(name, domain)).byCpu().forEach(byCpu::putIfAbsent);
        List<PageClaim> claims = new ArrayList<>(pages);
        Element backing = DomXml.child(domain, "memoryBacking");
        Element hugepages = backing == null ? null : DomXml.child(backing, "hugepages");
        Element numatune = DomXml.child(domain, "numatune");
        Element memory = numatune == null ? null : DomXml.child(numatune, "memory");
        if (hugepages != null && memory != null && !memory.getAttribute("nodeset").isBlank()) {
            long size = ComputedActions.configuredPageKib(hugepages);
            long kib = new ComputedActions(domain, null, NONE).memoryKib();
            claims.add(new PageClaim(name, CpuList.parse(memory.getAttribute("nodeset")).get(0), size, (kib + size - 1) / size));
        }
        return new NumaLedger(new PinnedCpus(byCpu), claims);
    }

    public boolean taken(int cpu) {
        return cpus.taken(cpu);
    }

    /** Pages of a size on a node promised already. */
    public long claimed(int node, long sizeKb) {
        return pages.stream().filter(p -> p.node() == node && p.sizeKb() == sizeKb).mapToLong(PageClaim::count).sum();
    }
}
