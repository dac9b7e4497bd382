package dev.vfiokit.libvirt;

import org.w3c.dom.Element;
import org.w3c.dom.Node;

/** The {@code <name>} of a domain XML (to look the domain up after defining it). */
final class DomainNameOf {
    private DomainNameOf() {
    }

    static String of(Element root) {
        if (!root.getTagName().equals("domain")) {
            throw new IllegalArgumentException("not a domain XML (root element is <" + root.getTagName() + ">)");
        }
        for (Node n = root.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && e.getTagName().equals("name")) {
                return e.getTextContent().strip();
            }
        }
        throw new IllegalArgumentException("the domain XML has no <name>");
    }
}
