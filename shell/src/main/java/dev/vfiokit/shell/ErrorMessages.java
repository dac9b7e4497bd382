package dev.vfiokit.shell;

import org.springframework.shell.command.CommandExecution;
import org.springframework.shell.command.CommandParser;

import java.util.stream.Collectors;

/** Turns exceptions into one line for the user, and into the documented exit code. */
final class ErrorMessages {
    private ErrorMessages() {
    }

    static String oneLine(Throwable e) {
        if (e instanceof CommandExecution.CommandParserExceptionsException p) {
            return p.getParserExceptions().stream().map(CommandParser.CommandParserException::getMessage)
                    .collect(Collectors.joining("; "));
        }
        Throwable t = e;
        while (t.getCause() != null && t.getMessage() == null) {
            t = t.getCause();
        }
        String msg = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
        return msg.replaceAll("\\s*\\R\\s*", " ").strip();
    }

    static int exitCode(Throwable e) {
        if (e instanceof CommandFailure f) {
            return f.exitCode();
        }
        if (e instanceof dev.vfiokit.templates.RequestRefused) {
            return ExitStatus.DATA;
        }
        if (e instanceof dev.vfiokit.vfio.VfioFailure v) {
            return v.refusedBeforeChange() ? ExitStatus.DATA : ExitStatus.IO;
        }
        if (e instanceof dev.vfiokit.libvirt.LibvirtFailure) {
            return ExitStatus.UNAVAILABLE;
        }
        if (e instanceof CommandExecution.CommandParserExceptionsException || e instanceof IllegalArgumentException
                || e instanceof UnknownCommandException) {
            return ExitStatus.USAGE;
        }
        if (e instanceof java.io.UncheckedIOException || e instanceof java.io.IOException) {
            return ExitStatus.IO;
        }
        return ExitStatus.INTERNAL;
    }

    static boolean isInternal(Throwable e) {
        return exitCode(e) == ExitStatus.INTERNAL;
    }
}
