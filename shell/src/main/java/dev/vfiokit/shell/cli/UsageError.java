package dev.vfiokit.shell.cli;

/** The command line is wrong: unknown command or option, a missing or malformed value (exit 64). */
public class UsageError extends IllegalArgumentException {
    public UsageError(String message) {
        super(message);
    }
}
