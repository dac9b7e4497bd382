package dev.vfiokit.tuning;

import java.util.List;

/** A tuning rule: why it helps and what it costs (rationale), when it applies, what it does. */
public record Rule(String id, String title, String rationale, Condition when, List<Action> actions, String origin) {
    public Rule {
        actions = List.copyOf(actions);
    }
}
