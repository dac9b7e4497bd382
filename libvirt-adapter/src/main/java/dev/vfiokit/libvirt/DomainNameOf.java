package dev.vfiokit.libvirt;

import org.w3c.dom.NodeList;


/** The {@code <name>} of a domain XML (to look the domain up after defining it). */
final class DomainNameOf {
    private DomainNameOf() {
    }

    static String xml(String xml) {
        NodeList names = LibvirtXml.parse(xml).getElementsByTagName("name");
        if (names.getLength() == 0) {
            throw new IllegalArgumentException("the domain XML has no <name>");
        }
        return names.item(0).getTextContent().strip();
    }
}
