package dev.vfiokit.tuning;

import dev.vfiokit.iommucheck.host.CpuList;
import org.w3c.dom.Element;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The host CPUs other domains are pinned to (vCPUs, emulator, I/O threads), read from their definitions, so that
 * pinning a guest never hands out a CPU that another guest has already: two pinned guests on one CPU halve each
 * other.
 *
 * @param byCpu each taken CPU and the domain holding it
 */
public record PinnedCpus(Map<Integer, String> byCpu) {
    public static final PinnedCpus NONE = new PinnedCpus(Map.of());

    public PinnedCpus {
        byCpu = Map.copyOf(byCpu);
    }

    /** @param definitions domains by name (libvirt's inactive definitions) */
    public static PinnedCpus of(Map<String, Element> definitions) {
        Map<Integer, String> taken = new TreeMap<>();
        definitions.forEach((name, domain) -> {
            Element cputune = DomXml.child(domain, "cputune");
            if (cputune == null) {
                return;
            }
            for (Element pin : DomXml.children(cputune, null)) {
                String set = pin.getAttribute("cpuset");
                // an exclusion ("0-7,^3") is skipped by CpuList: the excluded CPU counts as taken, the safe side
                if (pin.getTagName().endsWith("pin") && !set.isBlank()) {
                    CpuList.parse(set).forEach(cpu -> taken.putIfAbsent(cpu, name));
                }
            }
        });
        return new PinnedCpus(taken);
    }

    /** Without the CPUs of this domain: the one being tuned keeps its own. */
    public PinnedCpus without(String domain) {
        Map<Integer, String> rest = new TreeMap<>(byCpu);
        rest.values().removeIf(domain::equals);
        return new PinnedCpus(rest);
    }

    public boolean taken(int cpu) {
        return byCpu.containsKey(cpu);
    }

    /** The domains holding any of these CPUs, for the change description. */
    public Set<String> holders(Iterable<Integer> cpus) {
        Set<String> out = new TreeSet<>();
        cpus.forEach(c -> {
            if (byCpu.containsKey(c)) {
                out.add(byCpu.get(c));
            }
        });
        return out;
    }
}
