package dev.vfiokit.iommucheck.host;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A PCI function address, {@code DDDD:BB:SS.F}; the short form {@code BB:SS.F} means domain 0. */
public record PciAddress(int domain, int bus, int slot, int function) implements Comparable<PciAddress> {

    private static final Pattern FORM =
            Pattern.compile("(?:([0-9a-fA-F]{4}):)?([0-9a-fA-F]{2}):([0-9a-fA-F]{2})\\.([0-7])");

    public PciAddress {
        if (domain < 0 || domain > 0xffff || bus < 0 || bus > 0xff || slot < 0 || slot > 0x1f
                || function < 0 || function > 7) {
            throw new IllegalArgumentException("PCI address out of range: domain=" + domain + " bus=" + bus
                    + " slot=" + slot + " function=" + function);
        }
    }

    public static PciAddress parse(String text) {
        PciAddress canonical = text == null ? null : canonical(text);
        if (canonical != null) {
            return canonical;
        }
        Matcher m = text == null ? null : FORM.matcher(text.trim());
        if (m == null || !m.matches()) {
            throw new IllegalArgumentException("not a PCI address: '" + text
                    + "' (expected DDDD:BB:SS.F or BB:SS.F, e.g. 0000:01:00.0)");
        }
        int slot = Integer.parseInt(m.group(3), 16);
        if (slot > 0x1f) {
            throw new IllegalArgumentException("not a PCI address: '" + text + "' (slot " + m.group(3)
                    + " is above 1f; e.g. 0000:01:00.0)");
        }
        return new PciAddress(m.group(1) == null ? 0 : Integer.parseInt(m.group(1), 16),
                Integer.parseInt(m.group(2), 16), slot, Integer.parseInt(m.group(4)));
    }

    /** True when the text has the form of a PCI address (used to tell an address from a netdev name). */
    public static boolean looksLike(String text) {
        return text != null && (canonical(text) != null || FORM.matcher(text.trim()).matches());
    }

    /**
     * The address of text in sysfs's own form, DDDD:BB:SS.F, read without the pattern (a host's thousands of VFs are
     * named so: the pattern cost a snapshot a match per name); null for any other text, which the pattern then judges.
     */
    private static PciAddress canonical(String t) {
        if (t.length() != 12 || t.charAt(4) != ':' || t.charAt(7) != ':' || t.charAt(10) != '.') {
            return null;
        }
        int domain = hex(t, 0, 4);
        int bus = hex(t, 5, 7);
        int slot = hex(t, 8, 10);
        int function = t.charAt(11) - '0';
        if (domain < 0 || bus < 0 || slot < 0 || slot > 0x1f || function < 0 || function > 7) {
            return null;
        }
        return new PciAddress(domain, bus, slot, function);
    }

    private static int hex(String t, int from, int to) {
        int v = 0;
        for (int i = from; i < to; i++) {
            int d = Character.digit(t.charAt(i), 16);
            if (d < 0) {
                return -1;
            }
            v = v << 4 | d;
        }
        return v;
    }

    public PciAddress withFunction(int f) {
        return new PciAddress(domain, bus, slot, f);
    }

    /** Same physical device: same domain, bus and slot. */
    public boolean sameSlot(PciAddress other) {
        return domain == other.domain && bus == other.bus && slot == other.slot;
    }

    @Override
    public int compareTo(PciAddress o) {
        return Long.compare(key(), o.key());
    }

    private long key() {
        return ((long) domain << 16) | (bus << 8) | (slot << 3) | function;
    }

    // written out: the record's generated equals and hashCode go through a bootstrap method handle each, which a
    // one-shot command on a host with thousands of functions (maps keyed by address) pays for cold
    @Override
    public boolean equals(Object o) {
        return o instanceof PciAddress a && a.key() == key();
    }

    @Override
    public int hashCode() {
        return Long.hashCode(key());
    }

    /** DDDD:BB:SS.F in lower-case hex, as sysfs names it (written by hand: String.format costs a big host's JSON dearly). */
    @Override
    public String toString() {
        char[] c = new char[12];
        put(c, 0, domain, 4);
        c[4] = ':';
        put(c, 5, bus, 2);
        c[7] = ':';
        put(c, 8, slot, 2);
        c[10] = '.';
        c[11] = (char) ('0' + function);
        return new String(c);
    }

    static void put(char[] c, int at, int value, int digits) {
        for (int i = digits - 1; i >= 0; i--) {
            c[at + i] = Character.forDigit(value & 0xf, 16);
            value >>>= 4;
        }
    }
}
