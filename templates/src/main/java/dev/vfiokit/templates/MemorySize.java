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
        long kib;
        try {
            long n = Long.parseLong(m.group(1));
            kib = Math.multiplyExact(n, switch (m.group(2).toLowerCase(Locale.ROOT)) {
                case "k" -> 1L;
                case "g" -> 1024L * 1024;
                case "t" -> 1024L * 1024 * 1024;
                default -> 1024L; // plain numbers and M are MiB, as in virt-install --memory
            });
        } catch (NumberFormatException | ArithmeticException e) {
            // past 2^63 KiB: no machine has it, and the product would wrap round to a small or negative size
            throw new IllegalArgumentException("memory " + text + " is larger than any host's");
        }
        if (kib < 64 * 1024) {
            throw new IllegalArgumentException("memory " + text + " is below 64MiB");
        }
        return kib;
    }

    /** A size in KiB as admins read it: "504GiB", "1.5TiB", "512MiB". */
    public static String describe(long kib) {
        String[] units = {"KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
        double v = kib;
        int u = 0;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        String n = v == Math.rint(v) ? String.valueOf((long) v) : String.format(Locale.ROOT, "%.1f", v);
        return n + units[u];
    }
}
