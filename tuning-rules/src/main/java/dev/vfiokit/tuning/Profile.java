package dev.vfiokit.tuning;

import java.util.List;
import java.util.Set;

/** A named set of rules, with traits that rules can test (headless, desktop, latency). */
public record Profile(String name, String description, Set<String> traits, List<String> ruleIds, String origin) {
    public Profile {
        traits = Set.copyOf(traits);
        ruleIds = List.copyOf(ruleIds);
    }
}
