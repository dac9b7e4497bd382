package dev.vfiokit.libvirt;

import org.w3c.dom.Attr;
import org.w3c.dom.Element;
import org.w3c.dom.NamedNodeMap;
import org.w3c.dom.Node;

import java.nio.charset.StandardCharsets;

/**
 * What the test driver takes at define time but cannot read back from its host file: libxml2 parses files without
 * XML_PARSE_HUGE, so a text node or attribute above 10,000,000 bytes ("huge text node") would break every later
 * command on that host. Such a document is refused at define time instead.
 */
final class TestDriverLimits {
    /** libxml2's XML_MAX_TEXT_LENGTH. */
    static final int MAX_TEXT = 10_000_000;

    private TestDriverLimits() {
    }

    static void check(Element e) {
        NamedNodeMap attrs = e.getAttributes();
        for (int i = 0; i < attrs.getLength(); i++) {
            Attr a = (Attr) attrs.item(i);
            refuseIfHuge(a.getValue(), "attribute " + a.getName() + " of <" + e.getTagName() + ">");
        }
        for (Node n = e.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element c) {
                check(c);
            } else {
                refuseIfHuge(n.getNodeValue(), "the text of <" + e.getTagName() + ">");
            }
        }
    }

    private static void refuseIfHuge(String s, String where) {
        // UTF-8 is at most 3 bytes per char: only long strings need counting
        if (s != null && s.length() * 3L > MAX_TEXT && s.getBytes(StandardCharsets.UTF_8).length > MAX_TEXT) {
            throw new IllegalArgumentException(where + " is " + s.getBytes(StandardCharsets.UTF_8).length + " bytes: the test driver "
                    + "(the demo host's libvirt) cannot read back text above " + MAX_TEXT + " bytes (libxml2's limit)");
        }
    }
}
