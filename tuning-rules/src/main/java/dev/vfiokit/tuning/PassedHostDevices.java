package dev.vfiokit.tuning;

import dev.vfiokit.iommucheck.check.GroupAnalyzer;
import dev.vfiokit.iommucheck.host.HostSnapshot;
import dev.vfiokit.iommucheck.host.PciAddress;
import dev.vfiokit.iommucheck.host.PciDevice;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import java.util.ArrayList;
import java.util.List;

/**
 * The host's own devices that a domain would take: PCI hostdevs (and hostdev interfaces) whose source is a device
 * the host runs on, by the same policy as check, bind and domain generate. Tuning a domain that passes one is a FAIL.
 */
final class PassedHostDevices {
    private PassedHostDevices() {
    }

    static List<String> of(Element domain, HostSnapshot host) {
        List<String> out = new ArrayList<>();
        if (host == null) {
            return out;
        }
        GroupAnalyzer groups = new GroupAnalyzer(host);
        for (String tag : new String[] {"hostdev", "interface"}) {
            NodeList list = domain.getElementsByTagName(tag);
            for (int i = 0; i < list.getLength(); i++) {
                Element e = (Element) list.item(i);
                boolean pci = tag.equals("hostdev") ? "pci".equals(e.getAttribute("type")) : "hostdev".equals(e.getAttribute("type"));
                PciAddress a = pci ? sourceAddress(e) : null;
                PciDevice d = a == null ? null : host.device(a).orElse(null);
                if (d != null) {
                    groups.hostNeed(d).ifPresent(why -> out.add(a + " " + why + ": the host needs it, and this domain passes it to its guest"));
                }
            }
        }
        return out;
    }

    private static PciAddress sourceAddress(Element dev) {
        for (Element source : DomXml.children(dev, "source")) {
            for (Element addr : DomXml.children(source, "address")) {
                try {
                    return PciAddress.parse(String.format("%04x:%02x:%02x.%x", Integer.decode(addr.getAttribute("domain")),
                            Integer.decode(addr.getAttribute("bus")), Integer.decode(addr.getAttribute("slot")),
                            Integer.decode(addr.getAttribute("function"))));
                } catch (IllegalArgumentException e) {
                    return null; // an address libvirt would refuse anyway; not the host's device
                }
            }
        }
        return null;
    }
}
