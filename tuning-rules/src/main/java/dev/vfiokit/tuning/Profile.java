package dev.vfiokit.tuning;

import java.util.List;
import java.util.Set;

/** A named set of rules, with traits that rules can test (headless, desktop, latency). */
public record Profile(String name, String description, Set<String> traits, List<String> ruleIds, String origin) {
    public Profile {
        traits = Set.copyOf(traits);
        ruleIds = List.copyOf(ruleIds);
    }

    /** This profile with one trait more (what an option asks for: {@code --hide-kvm} is the hide-kvm trait). */
    public Profile withTrait(String trait) {
        Set<String> t = new java.util.HashSet<>(traits);
        t.add(trait);
        return new Profile(name, description, t, ruleIds, origin);
    }
}
