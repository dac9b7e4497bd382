package dev.vfiokit.vfio;

import java.time.Duration;
import java.util.List;

/**
 * Where a host's commands (modprobe, ip) run. Only the machine itself ({@code /}) has a {@link SystemCommands}; a
 * host tree or the demo host has {@link None}, which refuses with one line, so a fixture or a copied host tree
 * never changes the machine vfiokit runs on.
 */
public sealed interface HostCommands permits SystemCommands, HostCommands.None {
    /** Runs {@code argv} (no shell) and returns its stdout; a non-zero exit becomes a one-line {@link VfioFailure}. */
    String run(List<String> argv, Duration timeout);

    /** A host with no commands: every run is refused before anything starts. */
    record None(String host) implements HostCommands {
        @Override
        public String run(List<String> argv, Duration timeout) {
            throw VfioFailure.refused(host + " is a snapshot, not a running host: vfiokit runs no command for it (would run: "
                    + String.join(" ", argv) + ")");
        }
    }
}
