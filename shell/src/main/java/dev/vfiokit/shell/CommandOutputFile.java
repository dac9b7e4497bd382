package dev.vfiokit.shell;

import dev.vfiokit.vfio.OutputFile;

import java.util.function.Predicate;

/** A command's {@code -o FILE}: {@link OutputFile}'s rules, its refusals as exit codes (65 refused, 74 I/O). */
final class CommandOutputFile {
    private CommandOutputFile() {
    }

    /** A domain XML that carries vfiokit's mark (generate's own -o output, or a dumped definition of one). */
    static final Predicate<String> DOMAIN = before -> before.contains(dev.vfiokit.templates.DomainOwner.NS);
    /** The first line of network vf-pool's -o file. */
    static final String NETWORK_MARK = "<!-- vfiokit network vf-pool -->";

    /** Refused before the command changes anything (a define, an mdev) when the output could not be written after. */
    static void check(String output, Predicate<String> ours) {
        if (output != null) {
            refusedAsExit(() -> {
                OutputFile.check(output, ours);
                return null;
            });
        }
    }

    /** Writes the output and says so as the commands print it: "wrote FILE", or "unchanged FILE" where it held the text. */
    static String write(String output, String text, Predicate<String> ours) {
        return (refusedAsExit(() -> OutputFile.write(output, text, ours)) == OutputFile.Outcome.UNCHANGED ? "unchanged " : "wrote ") + output;
    }

    private static <T> T refusedAsExit(java.util.function.Supplier<T> io) {
        try {
            return io.get();
        } catch (OutputFile.Refused e) {
            throw new CommandFailure(e.io() ? ExitStatus.IO : ExitStatus.DATA, e.getMessage());
        }
    }
}
