package dev.vfiokit.iommucheck.check;

/**
 * A vfiokit command inside a hint, so that the hint is a complete command for the host that was checked:
 * {@link PreflightCheck#run(dev.vfiokit.iommucheck.host.HostSnapshot, java.util.List, String)} puts the options that
 * named that host ({@code --host demo}, {@code --root PATH}, {@code --connect URI}) where the marker stands.
 */
final class FixCommand {
    /** Stands for the host's options until the report is made; never printed. */
    static final String TARGET = "\u0000target\u0000";

    private FixCommand() {
    }

    /** {@code vfiokit WORDS...} with the host's options after them; words are PCI addresses, numbers and flags. */
    static String of(String... words) {
        return "vfiokit " + String.join(" ", words) + TARGET;
    }
}
