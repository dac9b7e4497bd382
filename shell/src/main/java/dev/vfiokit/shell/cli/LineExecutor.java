package dev.vfiokit.shell.cli;

import java.util.List;

/** Runs one command line (already split into words) and says what came of it; prints nothing itself. */
public interface LineExecutor {
    Outcome execute(List<String> words);

    /** What the command printed (may be empty), its one-line error (or null), and its exit code. */
    record Outcome(String output, String error, int exitCode) {
    }
}
