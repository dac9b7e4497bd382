package dev.vfiokit.templates;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Memory sizes as admins write them ("64GiB", "16G", "16384MiB", "512M"), in KiB. */
public final class MemorySize {
    private static final Pattern FORM = Pattern.compile("(\\d+)\\s*([kmgt]?)(i?b?)", Pattern.CASE_INSENSITIVE);

    private MemorySize() {
    }

    public static long parseKib(String text) {
        Matcher m = text == null ? null : FORM.matcher(text.strip());
        if (m == null || !m.matches()) {
            throw new IllegalArgumentException("not a memory size: '" + text + "' (e.g. 16GiB, 16384MiB)");
        }
        long n = Long.parseLong(m.group(1));
        long kib = switch (m.group(2).toLowerCase(Locale.ROOT)) {
            case "k" -> n;
            case "g" -> n * 1024 * 1024;
            case "t" -> n * 1024 * 1024 * 1024;
            default -> n * 1024; // plain numbers and M are MiB, as in virt-install --memory
        };
        if (kib < 64 * 1024) {
            throw new IllegalArgumentException("memory " + text + " is below 64MiB");
        }
        return kib;
    }
}
