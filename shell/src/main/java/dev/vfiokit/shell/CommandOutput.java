package dev.vfiokit.shell;

/** What a command prints on stdout, and the exit code it ends with (a check that warns exits 1). */
public record CommandOutput(String text, int exitCode) {
    public static CommandOutput ok(String text) {
        return new CommandOutput(text, ExitStatus.OK);
    }
}
