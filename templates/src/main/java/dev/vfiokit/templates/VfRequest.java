package dev.vfiokit.templates;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * One SR-IOV VF for a guest: {@code PF_OR_ADDR[,vf=N][,mac=M][,vlan=V][,trust=on|off][,spoofchk=on|off][,mode=interface|hostdev]},
 * where the first part is a VF's PCI address, or a PF's address or netdev name (with {@code vf=N}, or the next free VF).
 * Trust and spoof checking live on the PF, not in libvirt's XML: {@code trust}/{@code spoofchk} are null when not asked.
 */
public record VfRequest(String device, Integer vfIndex, String mac, Integer vlan, boolean plainHostdev, String trust, String spoofchk) {
    private static final Set<String> KEYS = Set.of("vf", "mac", "vlan", "mode", "trust", "spoofchk");

    public static VfRequest parse(String spec) {
        String[] parts = spec.split(",");
        if (parts[0].isBlank()) {
            throw new IllegalArgumentException("--vf needs a VF address, or a PF address or netdev: '" + spec + "'");
        }
        Map<String, String> kv = new LinkedHashMap<>();
        for (int i = 1; i < parts.length; i++) {
            int eq = parts[i].indexOf('=');
            String key = eq < 0 ? parts[i] : parts[i].substring(0, eq);
            if (eq < 0 || !KEYS.contains(key)) {
                throw new IllegalArgumentException("--vf " + spec + ": unknown '" + parts[i] + "' (expected vf=N, mac=M, vlan=V, trust=on|off, spoofchk=on|off, mode=interface|hostdev)");
            }
            kv.put(key, parts[i].substring(eq + 1));
        }
        String mode = kv.getOrDefault("mode", "interface");
        if (!mode.equals("interface") && !mode.equals("hostdev")) {
            throw new IllegalArgumentException("--vf " + spec + ": mode must be interface or hostdev");
        }
        for (String flag : new String[] {"trust", "spoofchk"}) {
            String v = kv.get(flag);
            if (v != null && !v.equals("on") && !v.equals("off")) {
                throw new IllegalArgumentException("--vf " + spec + ": " + flag + " must be on or off, got '" + v + "'");
            }
        }
        return new VfRequest(parts[0].strip(), integer(kv.get("vf"), "vf", spec), kv.get("mac"),
                integer(kv.get("vlan"), "vlan", spec), mode.equals("hostdev"), kv.get("trust"), kv.get("spoofchk"));
    }

    private static Integer integer(String v, String key, String spec) {
        if (v == null) {
            return null;
        }
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--vf " + spec + ": " + key + " must be a number, got '" + v + "'");
        }
    }
}
