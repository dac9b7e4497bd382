package dev.vfiokit.tuning;

import java.util.Map;

/** What a rule does to the domain document. */
public sealed interface Action {
    /** Remove every element the XPath selects. */
    record Remove(String xpath) implements Action {
    }

    /** Set an attribute on every element the XPath selects. */
    record Set(String xpath, String attribute, String value) implements Action {
    }

    /**
     * Make sure an element exists (a path of names below /domain, the last one created if missing; a path step
     * may carry [@attr='value'] to pick or create a specific element) and carries these attributes.
     */
    record Ensure(String path, Map<String, String> attributes) implements Action {
        public Ensure {
            attributes = Map.copyOf(attributes);
        }
    }

    /** An action computed from host and domain facts, implemented in code (pinning, hugepages, topology...). */
    record Compute(String name) implements Action {
    }
}
