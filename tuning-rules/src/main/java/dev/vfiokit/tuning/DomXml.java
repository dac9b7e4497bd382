package dev.vfiokit.tuning;

import dev.vfiokit.iommucheck.input.SecureXml;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NamedNodeMap;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;
import org.w3c.dom.UserDataHandler;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Domain XML as a DOM that writes back the way it came: attributes in the input's order, the input's indentation and
 * quote style, so that a diff against {@code virsh dumpxml} shows only what rules changed. Elements a rule adds are
 * indented like their siblings; a removed element takes its line with it.
 */
final class DomXml {
    /** The input's attribute order (a {@code List<String>} of qualified names), kept through clones. */
    private static final String ORDER = "vfiokit.attributeOrder";
    /** Marks the whitespace before an element's closing tag, so an element appended after it is indented. */
    private static final String CLOSING = "vfiokit.closingWhitespace";
    /** Marks an element written without whitespace between its children, which stays that way. */
    private static final String COMPACT = "vfiokit.compact";
    /** Marks an element the input wrote on the line of the node before it ({@code <acpi/><apic/>}), which stays there. */
    private static final String SAME_LINE = "vfiokit.sameLine";
    /** The document's quote character and indent unit. */
    private static final String STYLE = "vfiokit.style";
    private static final UserDataHandler KEEP_ON_CLONE = (op, key, data, src, dst) -> {
        if (dst != null && (op == UserDataHandler.NODE_CLONED || op == UserDataHandler.NODE_IMPORTED)) {
            dst.setUserData(key, data, DomXml.KEEP_ON_CLONE);
        }
    };

    /** How the input writes: its attribute quote, its indent step, and whether text escapes quotes as libvirt does. */
    private record Style(char quote, String unit, boolean quotesInText) {
    }

    /** The order libvirt writes a domain's children in (virDomainDefFormatInternalSetRootName, libvirt 11.3). */
    private static final List<String> DOMAIN_ORDER = List.of("name", "uuid", "genid", "title", "description", "metadata",
            "maxMemory", "memory", "currentMemory", "blkiotune", "memtune", "memoryBacking", "vcpu", "vcpus", "iothreads",
            "iothreadids", "defaultiothread", "throttlegroups", "cputune", "numatune", "resource", "sysinfo", "bootloader",
            "bootloader_args", "os", "idmap", "features", "cpu", "clock", "on_poweroff", "on_reboot", "on_crash",
            "on_lockfailure", "pm", "perf", "devices", "seclabel", "keywrap", "launchSecurity");

    private DomXml() {
    }

    /** @param source the file the text came from, for errors as FILE:LINE; null for "the domain XML" */
    static Document parse(String xml, String source) {
        Document d = source == null ? SecureXml.parseNamespaced(xml, "the domain XML") : SecureXml.parseNamespacedAt(xml, source);
        if (!d.getDocumentElement().getLocalName().equals("domain")) {
            throw new IllegalArgumentException("not a domain XML (root element is <" + d.getDocumentElement().getTagName() + ">)");
        }
        List<List<String>> orders = SecureXml.attributeOrder(xml);
        NodeList all = d.getElementsByTagName("*");
        for (int i = 0; i < all.getLength() && i < orders.size(); i++) {
            keepAttributeOrder((Element) all.item(i), orders.get(i));
        }
        markWhitespace(d.getDocumentElement());
        d.setUserData(STYLE, new Style(quoteOf(xml), indentUnit(d.getDocumentElement()), !rawQuoteInText(xml)), null);
        return d;
    }

    /**
     * The document that {@code events} (a JAXB marshaller's, whose indented text steps {@code indentStep} spaces a level)
     * would read back as by {@link #parse}, built without the text; null where the events hold what this does not
     * mirror exactly (see {@link IndentedDomBuilder}), and the caller parses the text instead.
     */
    static Document fromEvents(TuningInput.Events events, int indentStep) {
        IndentedDomBuilder b = new IndentedDomBuilder(indentStep);
        try {
            events.writeTo(b);
        } catch (Exception e) {
            for (Throwable c = e; c != null; c = c.getCause()) {
                if (c instanceof IndentedDomBuilder.Unusual) {
                    return null;
                }
            }
            throw new IllegalStateException("cannot write the domain: " + e.getMessage(), e);
        }
        Document d = b.document();
        if (d.getDocumentElement() == null || !d.getDocumentElement().getLocalName().equals("domain")) {
            return null; // the text way says what is wrong, as for any input
        }
        markWhitespace(d.getDocumentElement());
        // no quote in any value or text (the builder refuses them): the written quote is the attributes' own, '"';
        // no raw quote in text
        d.setUserData(STYLE, new Style(b.sawAttributes() ? '"' : '\'', indentUnit(d.getDocumentElement()), true), null);
        return d;
    }

    /** Keeps the order the input gave an element's attributes (qualified names), through clones, for {@link #write}. */
    static void keepAttributeOrder(Element e, List<String> names) {
        e.setUserData(ORDER, names, KEEP_ON_CLONE);
    }

    /**
     * Whether a quote stands as itself between a {@code >} and the next {@code <} (text, not an attribute): one pass
     * over the text, where a regular expression backtracked over every line.
     */
    static boolean rawQuoteInText(String xml) {
        boolean inText = false;
        boolean quote = false;
        for (int i = 0; i < xml.length(); i++) {
            char c = xml.charAt(i);
            if (c == '>') {
                inText = true;
            } else if (c == '<') {
                if (quote) {
                    return true;
                }
                inText = false;
            } else if (inText && (c == '\'' || c == '"')) {
                quote = true;
            }
        }
        return false;
    }

    /** The quote most attributes of the input use; libvirt writes single quotes. */
    private static char quoteOf(String xml) {
        int single = 0;
        int dbl = 0;
        for (int i = xml.indexOf('='); i >= 0 && i + 1 < xml.length(); i = xml.indexOf('=', i + 1)) {
            char c = xml.charAt(i + 1);
            single += c == '\'' ? 1 : 0;
            dbl += c == '"' ? 1 : 0;
        }
        return dbl > single ? '"' : '\'';
    }

    private static String indentUnit(Element root) {
        for (Node k = root.getFirstChild(); k != null; k = k.getNextSibling()) {
            if (isWhitespace(k) && k.getNextSibling() instanceof Element) {
                String indent = lastLine(k.getNodeValue());
                if (!indent.isEmpty()) {
                    return indent;
                }
            }
        }
        return "  ";
    }

    private static void markWhitespace(Element e) {
        boolean elements = false;
        boolean whitespace = false;
        for (Node k = e.getFirstChild(); k != null; k = k.getNextSibling()) {
            if (k instanceof Element c) {
                elements = true;
                markWhitespace(c);
                Node before = c.getPreviousSibling();
                if (before != null && (before instanceof Element || before.getNodeType() == Node.COMMENT_NODE)) {
                    c.setUserData(SAME_LINE, Boolean.TRUE, KEEP_ON_CLONE);
                }
            } else if (isWhitespace(k)) {
                whitespace = true;
            }
        }
        Node last = e.getLastChild();
        if (elements && isWhitespace(last)) {
            last.setUserData(CLOSING, Boolean.TRUE, KEEP_ON_CLONE);
        }
        if (elements && !whitespace) {
            e.setUserData(COMPACT, Boolean.TRUE, KEEP_ON_CLONE);
        }
    }

    static String write(Document d) {
        Style style = d.getUserData(STYLE) instanceof Style s ? s : new Style('\'', "  ", true);
        StringBuilder out = new StringBuilder();
        for (Node k = d.getFirstChild(); k != null; k = k.getNextSibling()) {
            if (k instanceof Element e) {
                element(e, "", false, style, out);
                out.append('\n');
            } else if (k.getNodeType() == Node.COMMENT_NODE) {
                out.append("<!--").append(k.getNodeValue()).append("-->\n");
            }
        }
        return out.toString();
    }

    private static void element(Element e, String indent, boolean parentCompact, Style style, StringBuilder out) {
        out.append('<').append(e.getTagName());
        for (Node a : attributesInOrder(e)) {
            out.append(' ').append(a.getNodeName()).append('=').append(style.quote());
            escape(a.getNodeValue(), true, out);
            out.append(style.quote());
        }
        String ns = e.getNamespaceURI();
        if (ns != null && !ns.equals(e.getParentNode() instanceof Element p ? p.lookupNamespaceURI(e.getPrefix()) : null)
                && !e.hasAttribute(e.getPrefix() == null ? "xmlns" : "xmlns:" + e.getPrefix())) {
            // an element a rule made in a namespace no ancestor declares
            out.append(' ').append(e.getPrefix() == null ? "xmlns" : "xmlns:" + e.getPrefix()).append('=').append(style.quote());
            escape(ns, true, out);
            out.append(style.quote());
        }
        List<Node> kids = new ArrayList<>();
        boolean structured = false;
        boolean mixed = false;
        for (Node k = e.getFirstChild(); k != null; k = k.getNextSibling()) {
            kids.add(k);
            structured |= k instanceof Element || k.getNodeType() == Node.COMMENT_NODE;
            mixed |= (k.getNodeType() == Node.TEXT_NODE || k.getNodeType() == Node.CDATA_SECTION_NODE) && !isWhitespace(k);
        }
        boolean emptied = kids.stream().anyMatch(k -> k.getUserData(CLOSING) != null);
        if (kids.isEmpty() || (!structured && !mixed && emptied)) {
            // nothing inside, or nothing left after a rule removed what was: libvirt's own empty-element form
            out.append("/>");
            return;
        }
        out.append('>');
        // inside a compact element, an element without whitespace of its own (one a rule made or filled) is compact too
        boolean compact = e.getUserData(COMPACT) != null || (parentCompact && kids.stream().noneMatch(DomXml::isWhitespace));
        if (mixed || !structured) {
            for (Node k : kids) {
                node(k, indent, compact, style, out);
            }
        } else if (compact) {
            for (Node k : kids) {
                if (!isWhitespace(k)) {
                    node(k, indent, true, style, out);
                }
            }
        } else {
            String siblingIndent = null;
            for (int i = 0; i < kids.size(); i++) {
                if (isWhitespace(kids.get(i)) && kids.get(i).getUserData(CLOSING) == null && i + 1 < kids.size() && !isWhitespace(kids.get(i + 1))) {
                    siblingIndent = lastLine(kids.get(i).getNodeValue());
                    break;
                }
            }
            String childIndent = siblingIndent != null ? siblingIndent : indent + style.unit();
            Node closing = null;
            for (int i = 0; i < kids.size(); i++) {
                Node k = kids.get(i);
                if (isWhitespace(k)) {
                    if (k.getUserData(CLOSING) != null) {
                        closing = k;
                    }
                    continue;
                }
                Node before = i > 0 ? kids.get(i - 1) : null;
                String ws = before != null && isWhitespace(before) && before.getUserData(CLOSING) == null ? before.getNodeValue()
                        : before != null && !isWhitespace(before) && k.getUserData(SAME_LINE) != null ? "" : "\n" + childIndent;
                out.append(ws);
                node(k, ws.isEmpty() ? childIndent : lastLine(ws), false, style, out);
            }
            out.append(closing != null ? closing.getNodeValue() : "\n" + indent);
        }
        out.append("</").append(e.getTagName()).append('>');
    }

    private static void node(Node k, String indent, boolean parentCompact, Style style, StringBuilder out) {
        switch (k.getNodeType()) {
            case Node.ELEMENT_NODE -> element((Element) k, indent, parentCompact, style, out);
            case Node.TEXT_NODE -> escape(k.getNodeValue(), style.quotesInText(), out);
            case Node.CDATA_SECTION_NODE -> out.append("<![CDATA[").append(k.getNodeValue()).append("]]>");
            case Node.COMMENT_NODE -> out.append("<!--").append(k.getNodeValue()).append("-->");
            default -> {
                // processing instructions and entity references do not occur in domain XML; they are dropped
            }
        }
    }

    /** The input's order first, then attributes a rule added, by name. */
    private static List<Node> attributesInOrder(Element e) {
        NamedNodeMap attrs = e.getAttributes();
        Set<Node> ordered = new LinkedHashSet<>();
        if (e.getUserData(ORDER) instanceof List<?> names) {
            for (Object n : names) {
                Node a = attrs.getNamedItem((String) n);
                if (a != null) {
                    ordered.add(a);
                }
            }
        }
        for (int i = 0; i < attrs.getLength(); i++) {
            ordered.add(attrs.item(i));
        }
        return new ArrayList<>(ordered);
    }

    /** libvirt's escaping (virBufferEscapeString) escapes quotes in text too; hand-written text often does not. */
    private static void escape(String s, boolean quotes, StringBuilder out) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '\'' -> out.append(quotes ? "&apos;" : "'");
                case '"' -> out.append(quotes ? "&quot;" : "\"");
                default -> out.append(c);
            }
        }
    }

    private static boolean isWhitespace(Node n) {
        return n != null && n.getNodeType() == Node.TEXT_NODE && n.getNodeValue().isBlank();
    }

    private static String lastLine(String ws) {
        return ws.substring(ws.lastIndexOf('\n') + 1);
    }

    /** A new element with attributes written in the order given (libvirt's own, for a readable diff). */
    static Element create(Document d, String tag, String... namesAndValues) {
        Element e = d.createElement(tag);
        List<String> order = new ArrayList<>();
        for (int i = 0; i + 1 < namesAndValues.length; i += 2) {
            e.setAttribute(namesAndValues[i], namesAndValues[i + 1]);
            order.add(namesAndValues[i]);
        }
        e.setUserData(ORDER, order, KEEP_ON_CLONE);
        return e;
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

    /** The child with this tag, created (see {@link #addChild}) when missing. */
    static Element ensureChild(Element e, String tag) {
        Element c = child(e, tag);
        if (c == null) {
            c = e.getOwnerDocument().createElement(tag);
            addChild(e, c);
        }
        return c;
    }

    /**
     * Adds a new child: under {@code <domain>} where libvirt writes it (after the last sibling libvirt writes before
     * it), elsewhere last. libvirt's schema takes the domain's children in any order, but libxml2's validator (virsh
     * define --validate, virt-xml-validate) does not follow every order: an input with {@code <clock>} among the
     * on_* elements validated, and failed once {@code <cputune>} was appended after {@code <devices>}.
     */
    static void addChild(Element parent, Element c) {
        int rank = parent.getParentNode() instanceof Document ? DOMAIN_ORDER.indexOf(c.getTagName()) : -1;
        if (rank < 0) {
            parent.appendChild(c);
            return;
        }
        Element after = null;
        Element firstLater = null;
        for (Element k : children(parent, null)) {
            int r = k.getNamespaceURI() == null || k.getNamespaceURI().equals(parent.getNamespaceURI()) ? DOMAIN_ORDER.indexOf(k.getTagName()) : -1;
            if (r >= 0 && r <= rank) {
                after = k;
            } else if (r > rank && firstLater == null) {
                firstLater = k;
            }
        }
        if (after != null) {
            parent.insertBefore(c, after.getNextSibling());
        } else if (firstLater != null) {
            // first of the known elements: before the whitespace that leads to the one it precedes
            Node at = firstLater;
            while (at.getPreviousSibling() != null && isWhitespace(at.getPreviousSibling())) {
                at = at.getPreviousSibling();
            }
            parent.insertBefore(c, at);
        } else {
            parent.appendChild(c);
        }
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
