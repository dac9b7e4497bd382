package dev.vfiokit.libvirt;

import dev.vfiokit.iommucheck.host.PciAddress;
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
                dev.vfiokit.iommucheck.input.DomainXmlFacts.mdevUuids(LibvirtXml.parse(conn.dumpXml(d.name(), true)))
                        .forEach(u -> out.put(u, d.name()));
            } catch (RuntimeException e) {
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
        try {
            return dev.vfiokit.iommucheck.input.DomainXmlFacts.passedPciAddresses(LibvirtXml.parse(xml));
        } catch (RuntimeException e) {
            throw new LibvirtFailure("cannot read a domain's devices: " + e.getMessage(), -1);
        }
    }

}
