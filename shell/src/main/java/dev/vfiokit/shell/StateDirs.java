package dev.vfiokit.shell;

import java.nio.file.Path;

/** The user's XDG directories for vfiokit: configuration (templates, rules) and state (undo, history). */
final class StateDirs {
    private StateDirs() {
    }

    static Path config() {
        return xdg("XDG_CONFIG_HOME", ".config");
    }

    static Path state() {
        return xdg("XDG_STATE_HOME", ".local/state");
    }

    private static Path xdg(String var, String fallback) {
        String v = System.getenv(var);
        return (v != null && !v.isBlank() ? Path.of(v) : Path.of(System.getProperty("user.home"), fallback)).resolve("vfiokit");
    }
}
