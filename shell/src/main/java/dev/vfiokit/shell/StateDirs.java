package dev.vfiokit.shell;

import java.nio.file.Path;

/** The user's XDG directories for vfiokit: configuration (templates, rules), state (undo, history) and cache. */
final class StateDirs {
    private StateDirs() {
    }

    static Path config() {
        return xdg("XDG_CONFIG_HOME", ".config");
    }

    /** What can be made again, kept to save the work (provisioning's plan memo). */
    static Path cache() {
        return xdg("XDG_CACHE_HOME", ".cache");
    }

    static Path state() {
        return xdg("XDG_STATE_HOME", ".local/state");
    }

    /**
     * Makes the state directory private and the history file 0600 before the prompt writes to it; says why on
     * stderr and answers false (history off) when the directory is not safe to use.
     */
    static boolean preparePrivateHistory() {
        try {
            Path dir = dev.vfiokit.vfio.PrivateFiles.directory(state());
            Path history = dir.resolve("history");
            if (!java.nio.file.Files.exists(history)) {
                dev.vfiokit.vfio.PrivateFiles.write(history, new byte[0], false);
            }
            return true;
        } catch (dev.vfiokit.vfio.VfioFailure | java.io.IOException e) {
            System.err.println("vfiokit: history off: " + e.getMessage());
            return false;
        }
    }

    private static Path xdg(String var, String fallback) {
        String v = System.getenv(var);
        return (v != null && !v.isBlank() ? Path.of(v) : Path.of(System.getProperty("user.home"), fallback)).resolve("vfiokit");
    }
}
