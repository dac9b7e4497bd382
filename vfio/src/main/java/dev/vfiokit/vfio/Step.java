package dev.vfiokit.vfio;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import com.fasterxml.jackson.databind.util.StdConverter;

import java.util.Arrays;
import java.util.List;

/**
 * One change to a host: a sysfs attribute written once (as echo does), an /etc file written whole or removed, a
 * command run word by word, or only a check. {@link #expect} says what must hold afterwards. In the journal every kind
 * has the one flat form journals of every format used ({@code file}, {@code value}, {@code expect}, {@code why},
 * {@code command}; "exec" and "check" in {@code file} for the last two), so old journals still undo.
 */
@JsonSerialize(converter = Step.ToJournal.class)
@JsonDeserialize(converter = Step.FromJournal.class)
public sealed interface Step permits Step.Write, Step.ConfigFile, Step.RemoveFile, Step.Exec, Step.Check {
    Expect expect();

    String why();

    /** The path written, or "exec" / "check", as the journal and --json name it. */
    String file();

    /** What is written (a command: its line; a check or removal: empty). */
    String value();

    /** Write {@code value} to a sysfs attribute (once, as echo does). */
    record Write(String file, String value, Expect expect, String why) implements Step {
    }

    /** An /etc file written whole. */
    record ConfigFile(String file, String value, Expect expect, String why) implements Step {
    }

    /** An /etc file removed. */
    record RemoveFile(String file, Expect expect, String why) implements Step {
        public String value() {
            return "";
        }
    }

    /** A command run word by word, without a shell. */
    record Exec(List<String> command, Expect expect, String why) implements Step {
        public Exec {
            command = List.copyOf(command);
        }

        public String file() {
            return "exec";
        }

        public String value() {
            return String.join(" ", command);
        }
    }

    /** Writes nothing; checks the expectation (e.g. /dev/vfio/N after a group is bound). */
    record Check(Expect expect, String why) implements Step {
        public String file() {
            return "check";
        }

        public String value() {
            return "";
        }
    }

    static Step write(String file, String value, Expect expect, String why) {
        return new Write(file, value, expect, why);
    }

    static Step configFile(String file, String content, String why) {
        return new ConfigFile(file, content, new Expect.Nothing(), why);
    }

    static Step removeFile(String file, String why) {
        return new RemoveFile(file, new Expect.Absent(file), why);
    }

    static Step exec(List<String> command, Expect expect, String why) {
        return new Exec(command, expect, why);
    }

    static Step check(Expect expect, String why) {
        return new Check(expect, why);
    }

    /** A configuration file (written whole or removed) rather than a sysfs attribute. */
    default boolean isConfigFile() {
        return this instanceof ConfigFile || this instanceof RemoveFile;
    }

    /** As printed by --dry-run: {@code echo VALUE > FILE   # why (expect: ...)}. */
    default String describe() {
        String action;
        if (this instanceof Exec || this instanceof Check) {
            action = this instanceof Exec ? value() : "check";
        } else if (this instanceof RemoveFile) {
            action = "rm " + file();
        } else if (this instanceof ConfigFile) {
            action = "write " + file() + ": " + value().strip().replace("\n", " | ");
        } else {
            action = "echo " + (value().isEmpty() ? "''" : value()) + " > " + file();
        }
        String e = expect().text();
        return action + "   # " + why() + (e.isEmpty() ? "" : " (expect: " + e + ")");
    }

    /** The journal's flat form of a step. */
    record Journaled(String file, String value, Expect expect, String why, List<String> command) {
    }

    final class ToJournal extends StdConverter<Step, Journaled> {
        @Override
        public Journaled convert(Step s) {
            return new Journaled(s.file(), s.value(), s.expect(), s.why(), s instanceof Exec x ? x.command() : null);
        }
    }

    /** Reads every format: format 1 kept a command's line only, split on spaces here. */
    final class FromJournal extends StdConverter<Journaled, Step> {
        @Override
        public Step convert(Journaled j) {
            Expect expect = j.expect() == null ? new Expect.Nothing() : j.expect();
            String value = j.value() == null ? "" : j.value();
            if ("exec".equals(j.file())) {
                return new Exec(j.command() != null ? j.command() : Arrays.asList(value.split(" ")), expect, j.why());
            }
            if ("check".equals(j.file())) {
                return new Check(expect, j.why());
            }
            if (j.file().startsWith("/etc/")) {
                return value.isEmpty() ? new RemoveFile(j.file(), expect, j.why()) : new ConfigFile(j.file(), value, expect, j.why());
            }
            return new Write(j.file(), value, expect, j.why());
        }
    }
}
