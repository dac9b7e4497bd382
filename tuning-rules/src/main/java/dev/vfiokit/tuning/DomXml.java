package dev.vfiokit.tuning;

import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

import dev.vfiokit.iommucheck.input.SecureXml;
import javax.xml.transform.OutputKeys;
import javax.xml.transform.Transformer;
import javax.xml.transform.TransformerFactory;
import javax.xml.transform.dom.DOMSource;
import javax.xml.transform.stream.StreamResult;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * Domain XML as a DOM: parsed without DTDs, whitespace-only text dropped, written back with two-space indent,
 * so that the original and the tuned document print alike and a diff shows only what rules changed.
 */
final class DomXml {
    private DomXml() {
    }

    static Document parse(String xml) {
        Document d = SecureXml.parseNamespaced(xml, "the domain XML");
        if (!d.getDocumentElement().getLocalName().equals("domain")) {
            throw new IllegalArgumentException("not a domain XML (root element is <" + d.getDocumentElement().getTagName() + ">)");
        }
        stripWhitespace(d.getDocumentElement());
        return d;
    }

    private static void stripWhitespace(Node n) {
        NodeList kids = n.getChildNodes();
        for (int i = kids.getLength() - 1; i >= 0; i--) {
            Node k = kids.item(i);
            if (k.getNodeType() == Node.TEXT_NODE && k.getTextContent().isBlank()) {
                n.removeChild(k);
            } else if (k.getNodeType() == Node.ELEMENT_NODE) {
                stripWhitespace(k);
            }
        }
    }

    static String write(Document d) {
        try {
            Transformer t = TransformerFactory.newInstance().newTransformer();
            t.setOutputProperty(OutputKeys.OMIT_XML_DECLARATION, "yes");
            t.setOutputProperty(OutputKeys.INDENT, "yes");
            t.setOutputProperty("{http://xml.apache.org/xslt}indent-amount", "2");
            StringWriter w = new StringWriter();
            t.transform(new DOMSource(d), new StreamResult(w));
            return w.toString().replace("\r\n", "\n").strip() + "\n";
        } catch (Exception e) {
            throw new IllegalStateException("cannot write XML: " + e.getMessage(), e);
        }
    }

    static List<Element> children(Element e, String tag) {
        List<Element> out = new ArrayList<>();
        NodeList kids = e.getChildNodes();
        for (int i = 0; i < kids.getLength(); i++) {
            if (kids.item(i) instanceof Element c && (tag == null || c.getTagName().equals(tag))) {
                out.add(c);
            }
        }
        return out;
    }

    static Element child(Element e, String tag) {
        List<Element> c = children(e, tag);
        return c.isEmpty() ? null : c.get(0);
    }

    /** The child with this tag, created (appended) when missing. */
    static Element ensureChild(Element e, String tag) {
        Element c = child(e, tag);
        if (c == null) {
            c = e.getOwnerDocument().createElement(tag);
            e.appendChild(c);
        }
        return c;
    }

    /** The element as one line, for change descriptions: {@code <input type="tablet" bus="usb"/>}. */
    static String brief(Element e) {
        StringBuilder sb = new StringBuilder("<").append(e.getTagName());
        for (int i = 0; i < e.getAttributes().getLength(); i++) {
            Node a = e.getAttributes().item(i);
            sb.append(' ').append(a.getNodeName()).append("='").append(a.getNodeValue()).append('\'');
        }
        return sb.append(children(e, null).isEmpty() && e.getTextContent().isBlank() ? "/>" : ">").toString();
    }
}
