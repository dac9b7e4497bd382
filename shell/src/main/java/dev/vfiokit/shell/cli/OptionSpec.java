package dev.vfiokit.shell.cli;

/**
 * One option of a command, read from its {@code @Option} parameter: {@code --long-name} (and {@code -s}), whether
 * it must be given, its default, its Java type (an array takes several values, a boolean is a flag) and the
 * completion its value gets at the prompt.
 */
public record OptionSpec(String longName, char shortName, String description, boolean required, String defaultValue,
                         Class<?> type, String completion) {
    public static final char NO_SHORT_NAME = ' ';

    public boolean multi() {
        return type.isArray();
    }

    public boolean flag() {
        return type == boolean.class || type == Boolean.class;
    }

    public boolean hasShortName() {
        return shortName != NO_SHORT_NAME;
    }

    /** {@code --name} or {@code -n}. */
    public boolean isCalled(String word) {
        return word.equals("--" + longName) || hasShortName() && word.equals("-" + shortName);
    }

    /** The type as help shows it: String, String[], boolean, Integer. */
    public String typeName() {
        return type.getSimpleName();
    }
}
