package dev.vfiokit.shell;

/** A command that cannot do what was asked: one line for the user, and the exit code it means. */
public class CommandFailure extends RuntimeException {
    private final int exitCode;

    public CommandFailure(int exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    public int exitCode() {
        return exitCode;
    }
}
