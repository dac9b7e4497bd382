package dev.vfiokit.iommucheck.host;

import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Vendor and device names from the host's pci.ids (pciutils/hwdata), read once and only for the ids the
 * host has. A host without the file gets ids instead of names.
 */
public final class PciIdNames {
    private static final List<String> FILES = List.of("/usr/share/misc/pci.ids", "/usr/share/hwdata/pci.ids",
            "/usr/share/pci.ids");
    private final Map<Integer, String> vendors;
    private final Map<Long, String> devices;

    private PciIdNames(Map<Integer, String> vendors, Map<Long, String> devices) {
        this.vendors = vendors;
        this.devices = devices;
    }

    public static PciIdNames load(HostRoot root, Collection<PciDevice> wanted) {
        Set<Integer> wantedVendors = new HashSet<>();
        Set<Long> wantedDevices = new HashSet<>();
        for (PciDevice d : wanted) {
            wantedVendors.add(d.vendorId());
            wantedDevices.add(key(d.vendorId(), d.deviceId()));
        }
        Map<Integer, String> vendors = new HashMap<>();
        Map<Long, String> devices = new HashMap<>();
        for (String file : FILES) {
            List<String> lines = root.lines(file);
            if (lines.isEmpty()) {
                continue;
            }
            int vendor = -1;
            for (String line : lines) {
                if (line.isEmpty() || line.charAt(0) == '#') {
                    continue;
                }
                if (line.startsWith("C ")) {
                    break; // the class list follows the vendors
                }
                if (line.charAt(0) != '\t' && line.length() > 6) {
                    vendor = hex(line.substring(0, 4));
                    if (wantedVendors.contains(vendor)) {
                        vendors.put(vendor, line.substring(4).strip());
                    }
                } else if (line.length() > 7 && line.charAt(0) == '\t' && line.charAt(1) != '\t'
                        && wantedVendors.contains(vendor)) {
                    long k = key(vendor, hex(line.substring(1, 5)));
                    if (wantedDevices.contains(k)) {
                        devices.put(k, line.substring(5).strip());
                    }
                }
            }
            break;
        }
        return new PciIdNames(vendors, devices);
    }

    private static int hex(String s) {
        try {
            return Integer.parseInt(s, 16);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static long key(int vendor, int device) {
        return ((long) vendor << 16) | device;
    }

    /** The device's own name from pci.ids ("TU104GL [Tesla T4]"), if known. */
    public java.util.Optional<String> deviceName(PciDevice d) {
        return java.util.Optional.ofNullable(devices.get(key(d.vendorId(), d.deviceId())));
    }

    /** "NVIDIA Corporation GA102GL [RTX A6000]", or the ids when the names are unknown. */
    public String describe(PciDevice d) {
        String v = vendors.get(d.vendorId());
        String dev = devices.get(key(d.vendorId(), d.deviceId()));
        if (v == null && dev == null) {
            return "[" + d.ids() + "]";
        }
        return (v == null ? String.format("%04x", d.vendorId()) : v) + " " + (dev == null ? String.format("%04x", d.deviceId()) : dev);
    }
}
