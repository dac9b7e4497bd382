package dev.vfiokit.vfio;

import com.fasterxml.jackson.annotation.JsonIgnore;

import java.util.Arrays;
import java.util.List;

/**
 * One change to a host: write {@code value} to {@code file} (a sysfs attribute, or an /etc file written whole), run a
 * command ({@code file} is then "exec" and {@code command} its words), or only check ("check"). {@code expect} says
 * what must hold afterwards. The record is the journal's form; build steps with the factories.
 */
public record Step(String file, String value, Expect expect, String why, List<String> command) {
    public static final String EXEC = "exec";
    /** A step that writes nothing and only checks its expectation (e.g. /dev/vfio/N after a group is bound). */
    public static final String CHECK = "check";

    public Step {
        expect = expect == null ? new Expect.Nothing() : expect;
        command = command == null ? null : List.copyOf(command);
    }

    /** Write {@code value} to a sysfs attribute (once, as echo does). */
    public static Step write(String file, String value, Expect expect, String why) {
        return new Step(file, value, expect, why, null);
    }

    /** An /etc file written whole. */
    public static Step configFile(String file, String content, String why) {
        return new Step(file, content, new Expect.Nothing(), why, null);
    }

    /** Removes a configuration file: a config-file step with no content. */
    public static Step removeFile(String file, String why) {
        return new Step(file, "", new Expect.Absent(file), why, null);
    }

    /** Runs a command, word by word, without a shell. */
    public static Step exec(List<String> command, Expect expect, String why) {
        return new Step(EXEC, String.join(" ", command), expect, why, command);
    }

    /** Writes nothing; checks the expectation. */
    public static Step check(Expect expect, String why) {
        return new Step(CHECK, "", expect, why, null);
    }

    public boolean isExec() {
        return EXEC.equals(file);
    }

    public boolean isCheck() {
        return CHECK.equals(file);
    }

    /** The command's words; a journal from before they were kept (format 1) has only the line, split on spaces. */
    @JsonIgnore
    public List<String> argv() {
        return command != null ? command : Arrays.asList(value.split(" "));
    }

    /** A configuration file (written whole) rather than a sysfs attribute (written once, like echo). */
    public boolean isConfigFile() {
        return file.startsWith("/etc/");
    }

    /** As printed by --dry-run: {@code echo VALUE > FILE   # why (expect: ...)}. */
    public String describe() {
        String action = isExec() ? value : isCheck() ? "check" : isConfigFile() && value.isEmpty() ? "rm " + file : isConfigFile() ? "write " + file + ": "
                + value.strip().replace("\n", " | ") : "echo " + (value.isEmpty() ? "''" : value) + " > " + file;
        String e = expect.text();
        return action + "   # " + why + (e.isEmpty() ? "" : " (expect: " + e + ")");
    }
}
