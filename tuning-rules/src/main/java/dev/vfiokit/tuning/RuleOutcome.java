package dev.vfiokit.tuning;

import java.util.List;

/**
 * What one rule did: APPLIED (with its changes), UNCHANGED (already as wanted), NOT_APPLICABLE (its condition
 * is false here) or CANNOT_APPLY (it applies but cannot be carried out, with the reason).
 */
public record RuleOutcome(Rule rule, Status status, List<String> changes, String reason) {
    public enum Status {
        APPLIED, UNCHANGED, NOT_APPLICABLE, CANNOT_APPLY
    }

    public RuleOutcome {
        changes = List.copyOf(changes);
    }
}
