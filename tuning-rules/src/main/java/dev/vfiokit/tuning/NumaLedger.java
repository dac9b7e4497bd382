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

    /**
     * What one placed domain holds of the host: the CPUs it is pinned to, and its hugepages on its memory's first
     * node (null: none). Provisioning keeps it beside a plan, so a VM planned before joins the ledger unread.
     */
    public record Claim(List<Integer> cpus, Integer pageNode, long pageKib, long pageCount) {
        public Claim {
            cpus = List.copyOf(cpus);
        }
    }

    /** What {@link #with(String, Element)} would add for this domain. */
    public static Claim claimOf(String name, Element domain) {
        List<Integer> cpus = new ArrayList<>(new java.util.TreeSet<>(PinnedCpus.of(Map.of(name, domain)).byCpu().keySet()));
        Element backing = DomXml.child(domain, "memoryBacking");
        Element hugepages = backing == null ? null : DomXml.child(backing, "hugepages");
        Element numatune = DomXml.child(domain, "numatune");
        Element memory = numatune == null ? null : DomXml.child(numatune, "memory");
        if (hugepages != null && memory != null && !memory.getAttribute("nodeset").isBlank()) {
            long size = ComputedActions.configuredPageKib(hugepages);
            long kib = new ComputedActions(domain, null, NONE).memoryKib();
            return new Claim(cpus, CpuList.parse(memory.getAttribute("nodeset")).get(0), size, (kib + size - 1) / size);
        }
        return new Claim(cpus, null, 0, 0);
    }

    /** With what a domain just placed holds: its pinned CPUs, and its hugepages on its memory's first node. */
    public NumaLedger with(String name, Element domain) {
        return with(name, claimOf(name, domain));
    }

    /** With what a domain placed holds, as {@link #claimOf} read it: CPUs another domain holds stay that domain's. */
    public NumaLedger with(String name, Claim claim) {
        Map<Integer, String> byCpu = new HashMap<>(cpus.byCpu());
        claim.cpus().forEach(c -> byCpu.putIfAbsent(c, name));
        List<PageClaim> claims = new ArrayList<>(pages);
        if (claim.pageNode() != null) {
            claims.add(new PageClaim(name, claim.pageNode(), claim.pageKib(), claim.pageCount()));
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
