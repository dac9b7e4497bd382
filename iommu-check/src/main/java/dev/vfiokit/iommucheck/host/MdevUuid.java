package dev.vfiokit.iommucheck.host;

import java.util.UUID;
import java.util.regex.Pattern;

/**
 * A mediated device's UUID, parsed before it becomes part of any path (/sys/bus/mdev/devices/UUID,
 * /etc/mdevctl.d/PARENT/UUID): only 8-4-4-4-12 hex digits pass, so "../../etc/x" never reaches the file system.
 * Kept in lower case, as the kernel and mdevctl name mdevs.
 */
public record MdevUuid(String value) {
    private static final Pattern FORM = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

    public MdevUuid {
        if (value == null || !FORM.matcher(value).matches()) {
            throw new IllegalArgumentException("'" + value + "' is not an mdev UUID (expected 8-4-4-4-12 hex digits)");
        }
    }

    public static MdevUuid parse(String s) {
        String t = s == null ? "" : s.strip();
        if (!FORM.matcher(t.toLowerCase(java.util.Locale.ROOT)).matches()) {
            String shown = t.length() > 60 ? t.substring(0, 60) + "..." : t;
            throw new IllegalArgumentException("'" + shown.replaceAll("\\p{Cntrl}", "?") + "' is not an mdev UUID (expected 8-4-4-4-12 hex digits, e.g. "
                    + "4b20d080-1b54-4048-85b3-a6a62d165c01)");
        }
        return new MdevUuid(t.toLowerCase(java.util.Locale.ROOT));
    }

    public static MdevUuid random() {
        return new MdevUuid(UUID.randomUUID().toString());
    }

    @Override
    public String toString() {
        return value;
    }
}
