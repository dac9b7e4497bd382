package dev.vfiokit.iommucheck.check;

import dev.vfiokit.iommucheck.host.HostSnapshot;
import dev.vfiokit.iommucheck.host.PciDevice;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * AMD GPUs with the reset bug (Polaris, Vega, Navi 1x: the GPU does not come back after a guest used it): they need
 * gnif/vendor-reset loaded and the kernel told to use it ({@code reset_method} = device_specific, kernel 5.15+). The
 * device list is data (vendor-reset.txt, from vendor-reset's device-db.h).
 */
public final class AmdResetCheck implements DeviceCheck {
    private static final Map<Integer, String> FAMILY = load();

    private static Map<Integer, String> load() {
        Map<Integer, String> out = new HashMap<>();
        try (InputStream in = AmdResetCheck.class.getResourceAsStream("/dev/vfiokit/iommucheck/vendor-reset.txt")) {
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                String[] f = line.strip().split("\\s+");
                if (f.length < 2 || f[0].startsWith("#")) {
                    continue;
                }
                for (int i = 1; i < f.length; i++) {
                    out.put(Integer.parseInt(f[i], 16), f[0]);
                }
            }
        } catch (IOException | NullPointerException e) {
            throw new IllegalStateException("vendor-reset.txt is missing from the build", e);
        }
        return Map.copyOf(out);
    }

    /** The vendor-reset family of an AMD GPU with the reset bug, or null. */
    public static String family(PciDevice d) {
        return d.vendorId() == 0x1002 && d.isGpu() ? FAMILY.get(d.deviceId()) : null;
    }

    @Override
    public Finding check(HostSnapshot host, PciDevice d) {
        String subject = d.address().toString();
        String family = family(d);
        if (family == null) {
            return new Finding("device.amd-reset", Severity.SKIP, subject, "not an AMD GPU with the reset bug", "", List.of());
        }
        boolean loaded = host.modules().containsKey("vendor_reset");
        String method = d.resetMethods().isEmpty() ? "" : d.resetMethods().get(0);
        List<String> ev = List.of("family: " + family, "vendor_reset module: " + (loaded ? "loaded" : "not loaded"),
                "reset_method: " + (d.resetMethods().isEmpty() ? "none listed" : String.join(" ", d.resetMethods())));
        String use = "echo device_specific > /sys/bus/pci/devices/" + d.address() + "/reset_method (at every boot: a udev rule "
                + "ACTION==\"add\", SUBSYSTEM==\"pci\", ATTR{vendor}==\"0x1002\", ATTR{device}==\"0x" + String.format("%04x", d.deviceId())
                + "\", RUN+=\"/bin/sh -c 'echo device_specific > /sys$devpath/reset_method'\")";
        if (loaded && method.equals("device_specific")) {
            return Finding.pass("device.amd-reset", subject, family + " GPU: vendor-reset handles its reset", ev);
        }
        if (loaded) {
            return new Finding("device.amd-reset", Severity.WARN, subject, family + " GPU: vendor-reset is loaded but the kernel "
                    + "resets it with " + (method.isEmpty() ? "nothing" : method) + ", which leaves it dead after a guest", use, ev);
        }
        return new Finding("device.amd-reset", Severity.WARN, subject, family + " GPU with the AMD reset bug: it does not come back "
                + "after a guest used it without vendor-reset", "install gnif/vendor-reset (dkms), add vendor_reset to "
                + "/etc/modules-load.d, modprobe vendor_reset, then " + use, ev);
    }
}
