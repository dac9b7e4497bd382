package dev.vfiokit.shell;

import java.io.Console;

/** ANSI colours, used only when stdout is a terminal and NO_COLOR is not set. */
public final class Ansi {
    private final boolean enabled;

    private Ansi(boolean enabled) {
        this.enabled = enabled;
    }

    public static Ansi forStdout() {
        return new Ansi(System.getenv("NO_COLOR") == null && !"dumb".equals(System.getenv("TERM")) && stdoutIsTerminal());
    }

    public static Ansi off() {
        return new Ansi(false);
    }

    private static boolean stdoutIsTerminal() {
        Console c = System.console();
        if (c == null) {
            return false;
        }
        try {
            // JDK 22+ returns a Console even when redirected; isTerminal() tells the truth there
            return (Boolean) Console.class.getMethod("isTerminal").invoke(c);
        } catch (ReflectiveOperationException e) {
            return true;
        }
    }

    public String red(String s) {
        return wrap("31", s);
    }

    public String yellow(String s) {
        return wrap("33", s);
    }

    public String green(String s) {
        return wrap("32", s);
    }

    public String dim(String s) {
        return wrap("2", s);
    }

    public String bold(String s) {
        return wrap("1", s);
    }

    private String wrap(String code, String s) {
        return enabled ? "\u001b[" + code + "m" + s + "\u001b[0m" : s;
    }
}
