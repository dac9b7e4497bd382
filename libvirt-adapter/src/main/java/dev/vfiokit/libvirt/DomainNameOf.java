package dev.vfiokit.libvirt;

import org.w3c.dom.Document;
import org.w3c.dom.NodeList;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;

/** The {@code <name>} of a domain XML (to look the domain up after defining it). */
final class DomainNameOf {
    private DomainNameOf() {
    }

    static String xml(String xml) {
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            Document doc = f.newDocumentBuilder().parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
            NodeList names = doc.getDocumentElement().getElementsByTagName("name");
            if (names.getLength() == 0) {
                throw new IllegalArgumentException("the domain XML has no <name>");
            }
            return names.item(0).getTextContent().strip();
        } catch (IllegalArgumentException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalArgumentException("not well-formed XML: " + e.getMessage(), e);
        }
    }
}
