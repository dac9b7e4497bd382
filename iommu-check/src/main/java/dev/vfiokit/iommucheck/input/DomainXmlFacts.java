package dev.vfiokit.iommucheck.input;

import dev.vfiokit.iommucheck.host.PciAddress;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What a libvirt domain takes from its host, read from its XML once for every module: the host PCI devices it holds
 * (PCI hostdevs and hostdev interfaces, by their source address) and the mdevs (by UUID). Only the domain's own
 * {@code <devices>} count, not look-alike elements elsewhere (metadata, say).
 */
public final class DomainXmlFacts {
    private DomainXmlFacts() {
    }

    public static List<PciAddress> passedPciAddresses(Element domain) {
        List<PciAddress> out = new ArrayList<>();
        for (Element dev : devices(domain)) {
            PciAddress a = sourceAddress(dev);
            if (a != null) {
                out.add(a);
            }
        }
        return out;
    }

    /** The host PCI device a PCI hostdev or hostdev interface takes (its source address), or null for any other device. */
    public static PciAddress sourceAddress(Element device) {
        boolean holds = device.getTagName().equals("hostdev") ? "pci".equals(device.getAttribute("type"))
                : device.getTagName().equals("interface") && "hostdev".equals(device.getAttribute("type"));
        return holds ? pciAddress(child(child(device, "source"), "address")) : null;
    }

    /**
     * A libvirt {@code <address domain= bus= slot= function=>} (host or guest side), or null when it is absent or not a
     * PCI address libvirt would accept.
     */
    public static PciAddress pciAddress(Element address) {
        if (address == null || address.getAttribute("bus").isEmpty()) {
            return null;
        }
        try {
            return new PciAddress(decode(address.getAttribute("domain")), decode(address.getAttribute("bus")),
                    decode(address.getAttribute("slot")), decode(address.getAttribute("function")));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** The domain's {@code <name>}; refused as no domain XML when the root is another element or has no name. */
    public static String name(Element root) {
        if (!root.getTagName().equals("domain")) {
            throw new IllegalArgumentException("not a domain XML (root element is <" + root.getTagName() + ">)");
        }
        Element n = child(root, "name");
        if (n == null) {
            throw new IllegalArgumentException("the domain XML has no <name>");
        }
        return n.getTextContent().strip();
    }

    /** The domain's own UUID (lower case), or null when it has none. */
    public static String uuid(Element domain) {
        Element u = child(domain, "uuid");
        return u == null || u.getTextContent().isBlank() ? null : u.getTextContent().strip().toLowerCase(Locale.ROOT);
    }

    /** The UUIDs (lower case) of the mdevs the domain uses. */
    public static List<String> mdevUuids(Element domain) {
        List<String> out = new ArrayList<>();
        for (Element dev : devices(domain)) {
            Element address = dev.getTagName().equals("hostdev") && "mdev".equals(dev.getAttribute("type"))
                    ? child(child(dev, "source"), "address") : null;
            if (address != null && !address.getAttribute("uuid").isEmpty()) {
                out.add(address.getAttribute("uuid").toLowerCase(Locale.ROOT));
            }
        }
        return out;
    }

    /** The elements under the domain's own {@code <devices>}, in document order. */
    public static List<Element> devices(Element domain) {
        Element devices = child(domain, "devices");
        List<Element> out = new ArrayList<>();
        for (Node n = devices == null ? null : devices.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e) {
                out.add(e);
            }
        }
        return out;
    }

    /** The first child element {@code tag} of {@code e} (null-safe: null for a null parent or none). */
    public static Element child(Element e, String tag) {
        for (Node n = e == null ? null : e.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element c && c.getTagName().equals(tag)) {
                return c;
            }
        }
        return null;
    }

    /** A libvirt memory element in KiB (units b, KB, k/KiB, MB, M/MiB, GB, G/GiB, TB, T/TiB; KiB when absent); 0 when null. */
    public static long kib(Element memory) {
        if (memory == null) {
            return 0;
        }
        String unit = memory.getAttribute("unit").isEmpty() ? "KiB" : memory.getAttribute("unit");
        String text = memory.getTextContent().strip();
        try {
            long v = Long.parseLong(text);
            return switch (unit) {
                case "b", "bytes" -> v / 1024;
                case "KB" -> Math.multiplyExact(v, 1000L) / 1024;
                case "k", "KiB" -> v;
                case "MB" -> Math.multiplyExact(v, 1000_000L) / 1024;
                case "M", "MiB" -> Math.multiplyExact(v, 1024L);
                case "GB" -> Math.multiplyExact(v, 1000_000_000L) / 1024;
                case "G", "GiB" -> Math.multiplyExact(v, 1024L * 1024);
                case "TB" -> Math.multiplyExact(v, 1000_000_000_000L) / 1024;
                case "T", "TiB" -> Math.multiplyExact(v, 1024L * 1024 * 1024);
                default -> throw new IllegalArgumentException("unknown memory unit '" + unit + "'");
            };
        } catch (NumberFormatException | ArithmeticException e) {
            // Java's own text ("For input string") names neither the element nor the size as the domain wrote it
            throw new IllegalArgumentException("<" + memory.getTagName() + " unit='" + unit + "'>" + text
                    + "</" + memory.getTagName() + "> is not a size below 2^63 KiB");
        }
    }

    private static int decode(String v) {
        return v == null || v.isEmpty() ? 0 : Integer.decode(v);
    }
}
