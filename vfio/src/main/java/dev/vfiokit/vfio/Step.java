package dev.vfiokit.vfio;

/**
 * One change to a host: write {@code value} to {@code file} (a sysfs or /etc path), or run a command
 * ({@code file} is then "exec", {@code value} the command line). {@code expect} says what must hold afterwards;
 * it is checked, because the kernel answers success to writes that did nothing (a failed probe, say).
 */
public record Step(String file, String value, String expect, String why) {
    public static final String EXEC = "exec";
    /** A step that writes nothing and only checks its expectation (e.g. /dev/vfio/N after a group is bound). */
    public static final String CHECK = "check";

    public boolean isExec() {
        return EXEC.equals(file);
    }

    public boolean isCheck() {
        return CHECK.equals(file);
    }

    /** Removes a configuration file: a config-file step with no content. */
    public static Step removeFile(String file, String why) {
        return new Step(file, "", "absent " + file, why);
    }

    /** A configuration file (written whole) rather than a sysfs attribute (written once, like echo). */
    public boolean isConfigFile() {
        return file.startsWith("/etc/");
    }

    /** As printed by --dry-run: {@code echo VALUE > FILE   # why (expect: ...)}. */
    public String describe() {
        String action = isExec() ? value : isCheck() ? "check" : isConfigFile() && value.isEmpty() ? "rm " + file : isConfigFile() ? "write " + file + ": "
                + value.strip().replace("\n", " | ") : "echo " + (value.isEmpty() ? "''" : value) + " > " + file;
        return action + "   # " + why + (expect == null || expect.isEmpty() ? "" : " (expect: " + expect + ")");
    }
}
