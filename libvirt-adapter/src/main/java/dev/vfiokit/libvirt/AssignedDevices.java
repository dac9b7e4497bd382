package dev.vfiokit.libvirt;

import dev.vfiokit.iommucheck.host.PciAddress;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import java.util.LinkedHashMap;
import java.util.Map;

/** The host PCI devices that defined domains hold: PCI hostdevs and hostdev interfaces (SR-IOV VFs). */
public final class AssignedDevices {
    private AssignedDevices() {
    }

    public static Map<PciAddress, String> read(LibvirtConnection conn) {
        Map<PciAddress, String> out = new LinkedHashMap<>();
        for (DomainSummary d : conn.domains()) {
            fromDomainXml(conn.dumpXml(d.name(), true)).forEach(a -> out.put(a, d.name()));
        }
        return out;
    }

    /** mdev UUIDs that defined domains use, UUID to domain name. */
    public static Map<String, String> mdevs(LibvirtConnection conn) {
        Map<String, String> out = new LinkedHashMap<>();
        for (DomainSummary d : conn.domains()) {
            try {
                Element root = LibvirtXml.parse(conn.dumpXml(d.name(), true));
                NodeList hostdevs = root.getElementsByTagName("hostdev");
                for (int i = 0; i < hostdevs.getLength(); i++) {
                    Element h = (Element) hostdevs.item(i);
                    NodeList addrs = h.getElementsByTagName("address");
                    if ("mdev".equals(h.getAttribute("type")) && addrs.getLength() > 0) {
                        out.put(((Element) addrs.item(0)).getAttribute("uuid").toLowerCase(), d.name());
                    }
                }
            } catch (Exception e) {
                throw new LibvirtFailure("cannot read the devices of " + d.name() + ": " + e.getMessage(), -1);
            }
        }
        return out;
    }

    /** Each defined domain's {@code <description>} (empty when it has none), by name. */
    /** Every defined domain's persistent definition, name to XML. */
    public static Map<String, String> definitions(LibvirtConnection conn) {
        Map<String, String> out = new LinkedHashMap<>();
        for (DomainSummary d : conn.domains()) {
            out.put(d.name(), conn.dumpXml(d.name(), true));
        }
        return out;
    }

    public static Map<String, String> descriptions(LibvirtConnection conn) {
        Map<String, String> out = new LinkedHashMap<>();
        for (DomainSummary d : conn.domains()) {
            NodeList desc = LibvirtXml.parse(conn.dumpXml(d.name(), true)).getElementsByTagName("description");
            out.put(d.name(), desc.getLength() == 0 ? "" : desc.item(0).getTextContent().strip());
        }
        return out;
    }

    static java.util.List<PciAddress> fromDomainXml(String xml) {
        java.util.List<PciAddress> out = new java.util.ArrayList<>();
        try {
            Element root = LibvirtXml.parse(xml);
            for (String tag : new String[] {"hostdev", "interface"}) {
                NodeList list = root.getElementsByTagName(tag);
                for (int i = 0; i < list.getLength(); i++) {
                    Element e = (Element) list.item(i);
                    boolean pci = tag.equals("hostdev") ? "pci".equals(e.getAttribute("type")) : "hostdev".equals(e.getAttribute("type"));
                    NodeList sources = e.getElementsByTagName("source");
                    if (!pci || sources.getLength() == 0) {
                        continue;
                    }
                    NodeList addrs = ((Element) sources.item(0)).getElementsByTagName("address");
                    if (addrs.getLength() > 0) {
                        Element a = (Element) addrs.item(0);
                        out.add(new PciAddress(decode(a.getAttribute("domain")), decode(a.getAttribute("bus")),
                                decode(a.getAttribute("slot")), decode(a.getAttribute("function"))));
                    }
                }
            }
        } catch (Exception e) {
            throw new LibvirtFailure("cannot read a domain's devices: " + e.getMessage(), -1);
        }
        return out;
    }

    private static int decode(String v) {
        return v == null || v.isEmpty() ? 0 : Integer.decode(v);
    }
}
