package dev.vfiokit.shell.provision;

/** What apply or destroy did with one VM, and why when it is worth saying. */
public record VmResult(String name, String host, Outcome outcome, String message) {
    /** Written in output and JSON as the lower-case word. */
    public enum Outcome {
        CREATED, UPDATED, SKIPPED, REMOVED, FAILED;

        public String word() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        @Override
        public String toString() {
            return word();
        }
    }
}
