package dev.vfiokit.shell;

/** Turns exceptions into one line for the user, and into the documented exit code. */
final class ErrorMessages {
    private ErrorMessages() {
    }

    static String oneLine(Throwable e) {
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
        if (e instanceof IllegalArgumentException) {
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
