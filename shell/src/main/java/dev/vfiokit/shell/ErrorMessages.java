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
            return p.getParserExceptions().stream().map(x -> plainParserMessage(x.getMessage()))
                    .collect(Collectors.joining("; "));
        }
        Throwable t = e;
        while (t.getCause() != null && t.getMessage() == null) {
            t = t.getCause();
        }
        String msg = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
        return msg.replaceAll("\\s*\\R\\s*", " ").strip();
    }

    private static final java.util.regex.Pattern CONVERSION = java.util.regex.Pattern.compile(
            "Illegal option value '(.*)', reason 'Failed to convert from type \\[java\\.lang\\.String] to type \\[(?:java\\.lang\\.)?(\\w+)].*",
            java.util.regex.Pattern.DOTALL);

    /** Spring Shell's conversion failures name Java types; say what the option wants instead. */
    static String plainParserMessage(String m) {
        if (m == null) {
            return "malformed command line";
        }
        java.util.regex.Matcher c = CONVERSION.matcher(m);
        if (c.matches()) {
            String want = switch (c.group(2)) {
                case "int", "Integer", "long", "Long" -> "a whole number";
                case "boolean", "Boolean" -> "true or false (or leave the value out)";
                default -> "a " + c.group(2).toLowerCase(java.util.Locale.ROOT);
            };
            return "'" + c.group(1) + "' is not " + want;
        }
        return m;
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

    /**
     * For a real bug: the full trace written (0600) under the state directory, and " (trace in FILE)" to say where,
     * so a user can attach it to a report while the screen stays one line.
     */
    static String traceNote(Throwable e) {
        try {
            java.nio.file.Path dir = dev.vfiokit.vfio.PrivateFiles.directories(StateDirs.state(), "errors");
            java.nio.file.Path f = dir.resolve("internal-" + java.time.format.DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss-SSS")
                    .withZone(java.time.ZoneOffset.UTC).format(java.time.Instant.now()) + "-" + ProcessHandle.current().pid() + ".txt");
            java.io.StringWriter w = new java.io.StringWriter();
            e.printStackTrace(new java.io.PrintWriter(w));
            dev.vfiokit.vfio.PrivateFiles.write(f, w.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8), false);
            return " (trace in " + f + ")";
        } catch (RuntimeException | java.io.IOException notWritten) {
            return "";
        }
    }
}
