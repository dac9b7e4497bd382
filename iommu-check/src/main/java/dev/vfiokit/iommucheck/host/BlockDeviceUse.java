package dev.vfiokit.iommucheck.host;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which PCI devices hold storage the host is using: under each block device in /proc/mounts and /proc/swaps
 * (through partitions and device-mapper slaves, by the device path their /sys/class/block link resolves to).
 */
final class BlockDeviceUse {
    private static final Pattern PCI = Pattern.compile("([0-9a-f]{4}:[0-9a-f]{2}:[0-9a-f]{2}\\.[0-7])");

    private final HostRoot root;

    BlockDeviceUse(HostRoot root) {
        this.root = root;
    }

    /** PCI address to what it backs: "mounted filesystem /" or "swap /dev/nvme0n1p3". */
    Map<PciAddress, String> read() {
        Map<PciAddress, String> out = new LinkedHashMap<>();
        for (String line : root.lines("/proc/mounts")) {
            String[] f = line.split("\\s+");
            if (f.length >= 2 && f[0].startsWith("/dev/")) {
                add(f[0].substring(f[0].lastIndexOf('/') + 1), "mounted filesystem " + f[1], out, 0);
            }
        }
        for (String line : root.lines("/proc/swaps")) {
            String[] f = line.split("\\s+");
            if (f.length >= 2 && f[0].startsWith("/dev/")) {
                add(f[0].substring(f[0].lastIndexOf('/') + 1), "swap " + f[0], out, 0);
            }
        }
        return out;
    }

    private void add(String name, String use, Map<PciAddress, String> out, int depth) {
        Path link = root.path("/sys/class/block/" + name);
        if (!Files.exists(link) || depth > 4) {
            return;
        }
        try {
            Matcher m = PCI.matcher(link.toRealPath().toString());
            while (m.find()) {
                out.putIfAbsent(PciAddress.parse(m.group(1)), use);
            }
        } catch (IOException | IllegalArgumentException e) {
            return;
        }
        for (String slave : root.list("/sys/class/block/" + name + "/slaves")) {
            add(slave, use, out, depth + 1);
        }
    }
}
