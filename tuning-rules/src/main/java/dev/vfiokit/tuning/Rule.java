package dev.vfiokit.tuning;

import java.util.List;
import java.util.Set;

/**
 * A tuning rule: why it helps and what it costs (rationale), the guest architectures it is for (empty: every one),
 * when it applies, what it does.
 */
public record Rule(String id, String title, String rationale, Set<String> arches, Condition when, List<Action> actions, String origin) {
    public Rule {
        arches = Set.copyOf(arches);
        actions = List.copyOf(actions);
    }

    /** Whether the rule is for a guest of this architecture. */
    public boolean isFor(String arch) {
        return arches.isEmpty() || arches.contains(arch);
    }

    /** The architectures as the rule file writes them, or "any". */
    public String archesText() {
        return arches.isEmpty() ? "any" : String.join(" ", arches.stream().sorted().toList());
    }
}
