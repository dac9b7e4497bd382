package dev.vfiokit.tuning;

import java.util.List;

/** A tuned domain: the original and tuned XML (both normalised), each rule's outcome, and the unified diff. */
public record TuningResult(String profile, String originalXml, String tunedXml, List<RuleOutcome> outcomes, String diff) {
    public TuningResult {
        outcomes = List.copyOf(outcomes);
    }

    public boolean changed() {
        return !originalXml.equals(tunedXml);
    }
}
