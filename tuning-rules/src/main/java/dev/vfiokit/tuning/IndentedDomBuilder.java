package dev.vfiokit.tuning;

import dev.vfiokit.iommucheck.input.SecureXml;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.Attributes;
import org.xml.sax.SAXException;
import org.xml.sax.helpers.DefaultHandler;

import java.util.ArrayList;
import java.util.List;

/**
 * Builds, from a JAXB marshaller's SAX events, the document that the marshaller's indented text (its DataWriter: a
 * new line and one indent step per level before every element, and before a closing tag that follows an element)
 * reads back as: the same whitespace nodes, the attributes in the order written. Skips writing the text only to parse
 * it again. Gives up ({@link Unusual}) on what text and events could disagree about — a character an attribute's or
 * text's escaping, normalisation or quoting treats specially, a namespace, text beside elements — and the caller
 * takes the text way then.
 */
final class IndentedDomBuilder extends DefaultHandler {
    /** Thrown where the events hold something this builder does not mirror exactly. */
    static final class Unusual extends SAXException {
        Unusual(String what) {
            super(what);
        }
    }

    private final String indentStep;
    private final Document doc = SecureXml.newNamespacedDocument();
    private Node current = doc;
    private int depth;
    private boolean sawAttributes;
    /**
     * The text of the element open now, appended when it closes: text beside elements is refused, so what is here
     * is the innermost element's, and an element with children so far has only elements and their indentation.
     */
    private final StringBuilder text = new StringBuilder();

    IndentedDomBuilder(int indentStep) {
        this.indentStep = " ".repeat(indentStep);
    }

    Document document() {
        return doc;
    }

    /** Whether any element has an attribute (the written text's quote is then the attributes' own). */
    boolean sawAttributes() {
        return sawAttributes;
    }

    @Override
    public void startPrefixMapping(String prefix, String uri) throws SAXException {
        throw new Unusual("a namespace declaration");
    }

    @Override
    public void startElement(String uri, String localName, String qName, Attributes atts) throws SAXException {
        if (uri != null && !uri.isEmpty() || qName.indexOf(':') >= 0) {
            throw new Unusual("an element in a namespace");
        }
        if (depth > 0) {
            if (text.length() > 0) {
                throw new Unusual("text beside elements");
            }
            current.appendChild(doc.createTextNode("\n" + indentStep.repeat(depth)));
        }
        Element e = doc.createElementNS(null, qName);
        List<String> order = new ArrayList<>(atts.getLength());
        for (int i = 0; i < atts.getLength(); i++) {
            String name = atts.getQName(i);
            String value = atts.getValue(i);
            if (name.indexOf(':') >= 0 || (atts.getURI(i) != null && !atts.getURI(i).isEmpty())) {
                throw new Unusual("an attribute in a namespace");
            }
            plain(value);
            e.setAttributeNS(null, name, value);
            order.add(name);
        }
        DomXml.keepAttributeOrder(e, order);
        sawAttributes |= !order.isEmpty();
        current.appendChild(e);
        current = e;
        depth++;
    }

    @Override
    public void characters(char[] ch, int start, int length) throws SAXException {
        if (length == 0) {
            return;
        }
        if (depth == 0 || current.hasChildNodes()) {
            throw new Unusual("text beside elements");
        }
        text.append(ch, start, length);
    }

    @Override
    public void endElement(String uri, String localName, String qName) throws SAXException {
        if (text.length() > 0) {
            String t = text.toString();
            plain(t);
            if (t.isBlank()) {
                // DomXml takes blank text for indentation; the text way would agree, but it is not worth mirroring
                throw new Unusual("blank text");
            }
            current.appendChild(doc.createTextNode(t));
            text.setLength(0);
        }
        depth--;
        if (current.getLastChild() instanceof Element) {
            // the writer's line before a closing tag that follows an element
            current.appendChild(doc.createTextNode("\n" + indentStep.repeat(depth)));
        }
        current = current.getParentNode();
    }

    @Override
    public void ignorableWhitespace(char[] ch, int start, int length) throws SAXException {
        throw new Unusual("whitespace outside text");
    }

    @Override
    public void processingInstruction(String target, String data) throws SAXException {
        throw new Unusual("a processing instruction");
    }

    /**
     * Refuses a character that text and events could read differently: quotes (the writer's quote style), whitespace
     * other than a space (attribute normalisation, escapes of line ends), markup characters (escaping), and anything
     * outside printable ASCII and XML's ordinary characters (a parse error on the text way, which must stay one).
     */
    private static void plain(String s) throws Unusual {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c == '"' || c == '\'' || c == '&' || c == '<' || c == '>' || c >= 0x7f) {
                throw new Unusual("a character written escaped or quoted");
            }
        }
    }
}
