package dev.vfiokit.templates.engine;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * KubeVirt's {@code spec.configuration.permittedHostDevices} (and {@code mediatedDevicesConfiguration}) for what a
 * host offers, in the shape of KubeVirt's API (kubevirt.io/v1 KubeVirt: PermittedHostDevices, PciHostDevice
 * {pciVendorSelector, resourceName, externalResourceProvider}, MediatedHostDevice {mdevNameSelector, resourceName};
 * user guide "Host Devices Assignment", whose example is 10DE:1EB8 as nvidia.com/TU104GL_Tesla_T4 and "GRID T4-1Q" as
 * nvidia.com/GRID_T4-1Q: names from pci.ids and from the mdev type's name, spaces to underscores).
 */
public final class KubevirtConfig {
    private KubevirtConfig() {
    }

    /** The KubeVirt CR fragment as a map (JSON/YAML neutral), in KubeVirt's field order. */
    public static Map<String, Object> of(PassthroughInventory inv) {
        List<Object> pci = new ArrayList<>();
        for (PassthroughInventory.PciModel m : inv.models()) {
            Map<String, Object> d = new LinkedHashMap<>();
            d.put("pciVendorSelector", m.selector());
            d.put("resourceName", vendorDomain(m.vendorId()) + "/" + resourceWord(m));
            pci.add(d);
        }
        List<Object> mdev = new ArrayList<>();
        List<Object> types = new ArrayList<>();
        for (PassthroughInventory.MdevOffer o : inv.mdevTypes()) {
            Map<String, Object> d = new LinkedHashMap<>();
            d.put("mdevNameSelector", o.typeName());
            d.put("resourceName", (o.typeId().startsWith("nvidia-") ? "nvidia.com" : o.typeId().startsWith("i915-") ? "intel.com"
                    : "vfiokit.dev") + "/" + o.typeName().replaceAll("[^A-Za-z0-9.-]+", "_"));
            mdev.add(d);
            types.add(o.typeId());
        }
        Map<String, Object> permitted = new LinkedHashMap<>();
        permitted.put("pciHostDevices", pci);
        permitted.put("mediatedDevices", mdev);
        Map<String, Object> configuration = new LinkedHashMap<>();
        configuration.put("permittedHostDevices", permitted);
        if (!types.isEmpty()) {
            // the types vfiokit made, so KubeVirt's virt-handler keeps (and does not replace) them
            configuration.put("mediatedDevicesConfiguration", Map.of("mediatedDeviceTypes", types));
        }
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("name", "kubevirt");
        metadata.put("namespace", "kubevirt");
        Map<String, Object> cr = new LinkedHashMap<>();
        cr.put("apiVersion", "kubevirt.io/v1");
        cr.put("kind", "KubeVirt");
        cr.put("metadata", metadata);
        cr.put("spec", Map.of("configuration", configuration));
        return cr;
    }

    /** As YAML for kubectl (a merge patch of the KubeVirt CR), with the inventory's notes as comments. */
    public static String yaml(PassthroughInventory inv) {
        StringBuilder sb = new StringBuilder("# vfiokit export kubevirt: host ").append(inv.host()).append('\n')
                .append("# kubectl patch kubevirt kubevirt -n kubevirt --type merge --patch-file THIS_FILE (a merge patch replaces\n")
                .append("# these lists: for a cluster, join every node's entries); KubeVirt's HostDevices feature gate must be on\n");
        inv.notes().forEach(n -> sb.append("# ").append(n).append('\n'));
        write(sb, of(inv), 0);
        return sb.toString();
    }

    private static void write(StringBuilder sb, Object v, int indent) {
        if (v instanceof Map<?, ?> m) {
            for (Map.Entry<?, ?> e : m.entrySet()) {
                sb.append("  ".repeat(indent)).append(e.getKey()).append(':');
                Object x = e.getValue();
                if (x instanceof Map<?, ?> || x instanceof List<?> l && !l.isEmpty()) {
                    sb.append('\n');
                    write(sb, x, indent + 1);
                } else {
                    sb.append(' ').append(x instanceof List<?> ? "[]" : scalar(x)).append('\n');
                }
            }
        } else if (v instanceof List<?> l) {
            for (Object x : l) {
                if (x instanceof Map<?, ?> m) {
                    boolean first = true;
                    for (Map.Entry<?, ?> e : m.entrySet()) {
                        sb.append("  ".repeat(indent)).append(first ? "- " : "  ").append(e.getKey()).append(": ")
                                .append(scalar(e.getValue())).append('\n');
                        first = false;
                    }
                } else {
                    sb.append("  ".repeat(indent)).append("- ").append(scalar(x)).append('\n');
                }
            }
        }
    }

    /** A YAML scalar: quoted (JSON-style, which YAML reads) unless a plain word. */
    private static String scalar(Object x) {
        String s = String.valueOf(x);
        if (s.matches("[A-Za-z][A-Za-z0-9./_-]*") && !s.matches("(?i)true|false|yes|no|on|off|null|y|n")) {
            return s;
        }
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    private static String vendorDomain(int vendor) {
        return switch (vendor) {
            case 0x10de -> "nvidia.com";
            case 0x1002 -> "amd.com";
            case 0x8086 -> "intel.com";
            case 0x15b3 -> "mellanox.com";
            default -> "vfiokit.dev";
        };
    }

    /** "TU104GL [Tesla T4]" to TU104GL_Tesla_T4; without a name, the ids (PCI_10DE_1EB8), VFs marked _VF. */
    private static String resourceWord(PassthroughInventory.PciModel m) {
        String base = m.name() == null ? String.format(Locale.ROOT, "PCI_%04X_%04X", m.vendorId(), m.deviceId())
                : m.name().replaceAll("[\\[\\]()]", " ").strip().replaceAll("[^A-Za-z0-9.-]+", "_");
        String upper = base.toUpperCase(Locale.ROOT);
        return m.type() == PassthroughInventory.DeviceType.VF && !upper.contains("VIRTUAL_FUNCTION") && !upper.contains("_VF") ? base + "_VF" : base;
    }
}
