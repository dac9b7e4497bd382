package dev.vfiokit.shell.provision;

/** What apply or destroy did with one VM: created, updated, skipped, removed, or failed (with why). */
public record VmResult(String name, String host, String outcome, String message) {
}
