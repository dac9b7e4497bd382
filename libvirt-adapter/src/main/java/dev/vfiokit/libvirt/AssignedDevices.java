package dev.vfiokit.libvirt;

import dev.vfiokit.iommucheck.host.PciAddress;
import dev.vfiokit.iommucheck.input.DomainXmlFacts;
import dev.vfiokit.iommucheck.input.SecureXml;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import java.util.LinkedHashMap;
import java.util.Map;

/** The host PCI devices that defined domains hold: PCI hostdevs and hostdev interfaces (SR-IOV VFs). */
public final class AssignedDevices {
    private AssignedDevices() {
    }

    public static Map<PciAddress, String> read(LibvirtConnection conn) {
        return read(definitions(conn));
    }

    /** mdev UUIDs that defined domains use, UUID to domain name. */
    public static Map<String, String> mdevs(LibvirtConnection conn) {
        return mdevs(definitions(conn));
    }

    public static Map<String, String> descriptions(LibvirtConnection conn) {
        return descriptions(definitions(conn));
    }

    /**
     * Every defined domain's persistent definition, dumped and parsed (namespace-aware) once, name to root element:
     * a caller that wants several facts of the domains reads them all from this.
     */
    public static Map<String, Element> definitions(LibvirtConnection conn) {
        java.util.List<Map.Entry<String, String>> xmls = java.util.List.copyOf(conn.definitions().entrySet());
        // parsed on every core (the parsers are per thread): a host of a thousand domains parses them in a fraction
        java.util.List<Element> roots = xmls.parallelStream().map(e -> {
            try {
                return SecureXml.parseNamespaced(e.getValue(), "the definition of " + e.getKey()).getDocumentElement();
            } catch (IllegalArgumentException x) {
                throw new LibvirtFailure("cannot read the definition of " + e.getKey() + ": " + x.getMessage(), -1);
            }
        }).toList();
        Map<String, Element> out = new LinkedHashMap<>();
        for (int i = 0; i < xmls.size(); i++) {
            out.put(xmls.get(i).getKey(), roots.get(i));
        }
        return out;
    }

    /** The host PCI devices the domains hold, address to domain name. */
    public static Map<PciAddress, String> read(Map<String, Element> definitions) {
        Map<PciAddress, String> out = new LinkedHashMap<>();
        definitions.forEach((name, root) -> DomainXmlFacts.passedPciAddresses(root).forEach(a -> out.put(a, name)));
        return out;
    }

    public static Map<String, String> mdevs(Map<String, Element> definitions) {
        Map<String, String> out = new LinkedHashMap<>();
        definitions.forEach((name, root) -> DomainXmlFacts.mdevUuids(root).forEach(u -> out.put(u, name)));
        return out;
    }

    /**
     * The memory (KiB) of each domain that passes a VFIO device (a PCI device, a VF, an mdev): all of it is pinned in
     * host RAM while the domain runs. A domain whose memory does not read is left out, as one with none.
     */
    public static Map<String, Long> lockedMemory(Map<String, Element> definitions) {
        Map<String, Long> out = new LinkedHashMap<>();
        definitions.forEach((name, root) -> {
            if (DomainXmlFacts.passedPciAddresses(root).isEmpty() && DomainXmlFacts.mdevUuids(root).isEmpty()) {
                return;
            }
            try {
                long kib = DomainXmlFacts.kib(DomainXmlFacts.child(root, "memory"));
                if (kib > 0) {
                    out.put(name, kib);
                }
            } catch (IllegalArgumentException unreadable) {
                // libvirt wrote it, so it reads; a test driver's hand-made file may not
            }
        });
        return out;
    }

    /** Each defined domain's {@code <description>} (empty when it has none), by name. */
    public static Map<String, String> descriptions(Map<String, Element> definitions) {
        Map<String, String> out = new LinkedHashMap<>();
        definitions.forEach((name, root) -> {
            NodeList desc = root.getElementsByTagName("description");
            out.put(name, desc.getLength() == 0 ? "" : desc.item(0).getTextContent().strip());
        });
        return out;
    }

    static java.util.List<PciAddress> fromDomainXml(String xml) {
        try {
            return DomainXmlFacts.passedPciAddresses(LibvirtXml.parse(xml));
        } catch (RuntimeException e) {
            throw new LibvirtFailure("cannot read a domain's devices: " + e.getMessage(), -1);
        }
    }

}
