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
        return text != null && FORM.matcher(text.trim()).matches();
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

    @Override
    public String toString() {
        return String.format("%04x:%02x:%02x.%x", domain, bus, slot, function);
    }
}
