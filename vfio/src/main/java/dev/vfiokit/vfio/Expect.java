package dev.vfiokit.vfio;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * What must hold after a step, checked because the kernel answers success to writes that did nothing (a probe that
 * bound no driver, say). In the journal and in --dry-run it reads as one line ({@code driver 0000:41:00.0 vfio-pci},
 * {@code exists /dev/vfio/15}), the form journals of every version use.
 */
public sealed interface Expect {
    /** The device's driver is {@code driver}, or, with {@code not}, anything but it ("none" when unbound). */
    record DriverIs(String device, String driver, boolean not) implements Expect {
        public String text() {
            return "driver " + device + " " + (not ? "!" : "") + driver;
        }
    }

    record Exists(String path) implements Expect {
        public String text() {
            return "exists " + path;
        }
    }

    record Absent(String path) implements Expect {
        public String text() {
            return "absent " + path;
        }
    }

    /** The file reads exactly {@code value}. */
    record ValueIs(String path, String value) implements Expect {
        public String text() {
            return "value " + path + " " + value;
        }
    }

    /** Nothing to check (a config file written whole). */
    record Nothing() implements Expect {
        public String text() {
            return "";
        }
    }

    @JsonValue
    String text();

    static Expect driver(Object device, String driver) {
        return driver.startsWith("!") ? new DriverIs(device.toString(), driver.substring(1), true) : new DriverIs(device.toString(), driver, false);
    }

    /** The one-line form back into its type (journals written by any version). */
    @JsonCreator
    static Expect parse(String text) {
        if (text == null || text.isBlank()) {
            return new Nothing();
        }
        String[] w = text.split(" ", 3);
        return switch (w[0]) {
            case "driver" -> {
                require(w.length == 3, text);
                yield driver(w[1], w[2]);
            }
            case "exists" -> new Exists(text.substring("exists ".length()));
            case "absent" -> new Absent(text.substring("absent ".length()));
            case "value" -> {
                require(w.length == 3, text);
                yield new ValueIs(w[1], w[2]);
            }
            default -> throw new IllegalArgumentException("unknown expectation '" + text + "'");
        };
    }

    private static void require(boolean ok, String text) {
        if (!ok) {
            throw new IllegalArgumentException("malformed expectation '" + text + "'");
        }
    }
}
