package dev.vfiokit.iommucheck.host;

import java.util.ArrayList;
import java.util.List;

/**
 * A memory BAR of a PCI function, from its sysfs {@code resource} file: one line per resource,
 * {@code "0x%016llx 0x%016llx 0x%016llx"} start, end and flags (drivers/pci/pci-sysfs.c resource_show; the flags are
 * include/linux/ioport.h's). A BAR with a size but a start of 0 was not assigned by the host's firmware or kernel.
 *
 * @param index        0-5 (the ROM line, 6, is not a BAR)
 * @param size         bytes
 * @param is64         a 64-bit BAR (IORESOURCE_MEM_64): the kind that lives above 4 GiB and needs the guest's 64-bit window
 * @param prefetchable IORESOURCE_PREFETCH
 * @param assigned     the host gave it an address
 */
public record Bar(int index, long size, boolean is64, boolean prefetchable, boolean assigned) {
    private static final long IORESOURCE_MEM = 0x00000200L;
    private static final long IORESOURCE_PREFETCH = 0x00002000L;
    private static final long IORESOURCE_MEM_64 = 0x00100000L;
    private static final long IORESOURCE_UNSET = 0x20000000L;

    /** The memory BARs of a {@code resource} file; I/O ports, the ROM and empty lines are left out. */
    public static List<Bar> parse(String resourceFile) {
        List<Bar> out = new ArrayList<>();
        String[] lines = resourceFile.split("\n");
        for (int i = 0; i < Math.min(6, lines.length); i++) {
            String[] f = lines[i].strip().split("\\s+");
            if (f.length < 3) {
                continue;
            }
            try {
                long start = Long.parseUnsignedLong(f[0].replaceFirst("^0x", ""), 16);
                long end = Long.parseUnsignedLong(f[1].replaceFirst("^0x", ""), 16);
                long flags = Long.parseUnsignedLong(f[2].replaceFirst("^0x", ""), 16);
                if ((flags & IORESOURCE_MEM) == 0 || end == 0) {
                    continue;
                }
                out.add(new Bar(i, end - start + 1, (flags & IORESOURCE_MEM_64) != 0, (flags & IORESOURCE_PREFETCH) != 0,
                        start != 0 && (flags & IORESOURCE_UNSET) == 0));
            } catch (NumberFormatException e) {
                // a line the kernel did not write: no BAR to read from it
            }
        }
        return out;
    }

    /** Sizes as lspci prints them: 16M, 128G. */
    public static String label(long bytes) {
        String[] units = {"", "K", "M", "G", "T"};
        int u = 0;
        long v = bytes;
        while (v >= 1024 && v % 1024 == 0 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return v + units[u];
    }
}
