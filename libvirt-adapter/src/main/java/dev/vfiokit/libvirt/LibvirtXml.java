package dev.vfiokit.libvirt;

import dev.vfiokit.iommucheck.input.SecureXml;
import org.w3c.dom.Element;

/** Parses the XML libvirt hands back (or a domain given to it) with vfiokit's one secure parser. */
final class LibvirtXml {
    private LibvirtXml() {
    }

    static Element parse(String xml) {
        return SecureXml.parse(xml, "the XML").getDocumentElement();
    }
}
