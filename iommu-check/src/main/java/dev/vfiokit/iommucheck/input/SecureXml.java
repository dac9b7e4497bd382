package dev.vfiokit.iommucheck.input;

import org.w3c.dom.Document;
import org.xml.sax.ErrorHandler;
import org.xml.sax.InputSource;
import org.xml.sax.SAXException;
import org.xml.sax.SAXParseException;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import java.io.IOException;
import java.io.StringReader;

/**
 * The one XML parser of vfiokit, for every document a user or libvirt hands it: no DOCTYPE (so no entities, no
 * external DTDs, no billion laughs), no XInclude, bounded depth, and errors as one line with the line number,
 * never the parser's own "[Fatal Error]" print on stderr.
 */
public final class SecureXml {
    /** Deeper than any domain XML (libvirt's deepest paths are ~8 levels); stops stack-exhausting inputs. */
    public static final int MAX_DEPTH = 100;
    private static final DocumentBuilderFactory PLAIN = factory(false);
    private static final DocumentBuilderFactory NAMESPACED = factory(true);

    /**
     * A builder per thread, kept: builders are not thread-safe, and making one (the parser's whole configuration)
     * cost more than parsing a domain. A parse starts from the builder's initial state each time.
     */
    private static final ThreadLocal<DocumentBuilder> PLAIN_BUILDER = ThreadLocal.withInitial(() -> builder(PLAIN));
    private static final ThreadLocal<DocumentBuilder> NAMESPACED_BUILDER = ThreadLocal.withInitial(() -> builder(NAMESPACED));

    private SecureXml() {
    }

    private static DocumentBuilder builder(DocumentBuilderFactory f) {
        try {
            DocumentBuilder b = f.newDocumentBuilder();
            b.setErrorHandler(SILENT);
            b.setEntityResolver((publicId, systemId) -> {
                throw new SAXException("external entities are not accepted");
            });
            return b;
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException(e);
        }
    }

    /** An empty namespace-aware document of the same DOM as {@link #parseNamespaced}'s, from this thread's builder. */
    public static org.w3c.dom.Document newNamespacedDocument() {
        return NAMESPACED_BUILDER.get().newDocument();
    }

    private static javax.xml.parsers.SAXParserFactory saxFactory() {
        try {
            javax.xml.parsers.SAXParserFactory f = javax.xml.parsers.SAXParserFactory.newInstance();
            f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            f.setFeature("http://xml.org/sax/features/external-general-entities", false);
            f.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
            f.setXIncludeAware(false);
            f.setNamespaceAware(false);
            return f;
        } catch (ParserConfigurationException | SAXException e) {
            throw new IllegalStateException("the JDK's XML parser lacks a security feature: " + e.getMessage(), e);
        }
    }

    private static final javax.xml.parsers.SAXParserFactory SAX_NS = namespaced();

    private static javax.xml.parsers.SAXParserFactory namespaced() {
        javax.xml.parsers.SAXParserFactory f = saxFactory();
        f.setNamespaceAware(true);
        return f;
    }

    /** A namespace-aware SAX reader with the same protections (no DTD, no external entities), e.g. for a validator. */
    public static org.xml.sax.XMLReader namespacedReader() {
        try {
            org.xml.sax.XMLReader r = SAX_NS.newSAXParser().getXMLReader();
            r.setEntityResolver((publicId, systemId) -> {
                throw new SAXException("external entities are not accepted");
            });
            return r;
        } catch (ParserConfigurationException | SAXException e) {
            throw new IllegalStateException("the JDK's XML parser lacks a security feature: " + e.getMessage(), e);
        }
    }

    /**
     * The attribute names of every element, elements in document order, attributes in the order the text gives
     * them: the DOM keeps attributes sorted by name, so a writer that wants the input's order asks here. Call it on
     * text {@link #parse} accepted: that text is well-formed and has no DOCTYPE, so a scan of its tags (comments,
     * CDATA, processing instructions and end tags skipped; quoted values jumped over) finds what a parser would,
     * at a fraction of the cost of a second parse.
     */
    public static java.util.List<java.util.List<String>> attributeOrder(String xml) {
        java.util.List<java.util.List<String>> out = new java.util.ArrayList<>();
        int n = xml.length();
        int i = xml.indexOf('<');
        while (i >= 0 && i + 1 < n) {
            char c = xml.charAt(i + 1);
            if (xml.startsWith("<!--", i)) {
                i = after(xml, "-->", i + 4);
            } else if (xml.startsWith("<![CDATA[", i)) {
                i = after(xml, "]]>", i + 9);
            } else if (c == '?' || c == '!') {
                i = after(xml, c == '?' ? "?>" : ">", i + 2);
            } else if (c == '/') {
                i = after(xml, ">", i + 2);
            } else {
                java.util.List<String> names = new java.util.ArrayList<>(4);
                int j = i + 1;
                while (j < n && !tagEnd(xml.charAt(j))) {
                    j++;
                }
                while (true) {
                    while (j < n && isXmlSpace(xml.charAt(j))) {
                        j++;
                    }
                    if (j >= n || xml.charAt(j) == '>' || xml.charAt(j) == '/') {
                        break;
                    }
                    int nameStart = j;
                    while (j < n && xml.charAt(j) != '=' && !isXmlSpace(xml.charAt(j))) {
                        j++;
                    }
                    names.add(xml.substring(nameStart, j));
                    while (j < n && xml.charAt(j) != '\'' && xml.charAt(j) != '"') {
                        j++;
                    }
                    if (j >= n) {
                        throw new InputRejected("the XML is not accepted: an attribute without a quoted value");
                    }
                    int close = xml.indexOf(xml.charAt(j), j + 1);
                    if (close < 0) {
                        throw new InputRejected("the XML is not accepted: an attribute value without its closing quote");
                    }
                    j = close + 1;
                }
                out.add(names);
                i = j;
            }
            i = i < 0 ? -1 : xml.indexOf('<', i);
        }
        return out;
    }

    /** Just past {@code end} at or after {@code from}; -1 when the text ends first. */
    private static int after(String xml, String end, int from) {
        int k = xml.indexOf(end, from);
        return k < 0 ? -1 : k + end.length();
    }

    private static boolean tagEnd(char c) {
        return c == '>' || c == '/' || isXmlSpace(c);
    }

    private static boolean isXmlSpace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r';
    }

    private static DocumentBuilderFactory factory(boolean namespaces) {
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            f.setFeature("http://xml.org/sax/features/external-general-entities", false);
            f.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
            f.setXIncludeAware(false);
            f.setExpandEntityReferences(false);
            f.setNamespaceAware(namespaces);
            f.setAttribute("http://www.oracle.com/xml/jaxp/properties/maxElementDepth", MAX_DEPTH);
            return f;
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException("the JDK's XML parser lacks a security feature: " + e.getMessage(), e);
        }
    }

    /** Parses {@code xml}; {@code what} names it in errors ("domain XML", "template /path/x.xml"). */
    public static Document parse(String xml, String what) {
        return parse(xml, what, false);
    }

    public static Document parseNamespaced(String xml, String what) {
        return parse(xml, what, true);
    }

    /**
     * Parses the text of a file (or of a named domain): errors read {@code FILE:LINE: not well-formed XML: ...}, as
     * compilers write them, so an editor jumps to the line.
     */
    public static Document parseNamespacedAt(String xml, String source) {
        try {
            return parse(xml, source, true);
        } catch (LocatedError e) {
            throw new InputRejected(source + ":" + e.line + ": " + e.problem);
        }
    }

    /** A parse error with its line, before it is worded for a file or for a described document. */
    private static final class LocatedError extends InputRejected {
        private final int line;
        private final String problem;

        LocatedError(String what, int line, String problem, String worded) {
            super(worded);
            this.line = line;
            this.problem = problem;
        }
    }

    private static Document parse(String xml, String what, boolean namespaces) {
        InputFile.checkSize(xml, what);
        if (xml.isBlank()) {
            throw new InputRejected(what + " is empty");
        }
        DocumentBuilder b = (namespaces ? NAMESPACED_BUILDER : PLAIN_BUILDER).get();
        try {
            return b.parse(new InputSource(new StringReader(xml)));
        } catch (SAXParseException e) {
            int line = Math.max(e.getLineNumber(), 1);
            throw new LocatedError(what, line, problem(e), what + explain(e) + " (line " + line + ")");
        } catch (SAXException e) {
            throw new InputRejected(what + " is not accepted: " + e.getMessage());
        } catch (IOException e) {
            throw new InputRejected("cannot read " + what + ": " + e.getMessage());
        }
    }

    private static String problem(SAXParseException e) {
        String m = e.getMessage() == null ? "malformed XML" : e.getMessage();
        if (m.contains("disallow-doctype-decl") || m.contains("DOCTYPE")) {
            return "DOCTYPE declarations are not accepted; remove the <!DOCTYPE ...> line";
        }
        if (m.contains("maxElementDepth")) {
            return "elements are nested deeper than " + MAX_DEPTH + " levels";
        }
        return "not well-formed XML: " + m.replaceAll("\\s*\\R\\s*", " ").strip();
    }

    /** The problem worded after the document's description: "the domain XML is not well-formed XML: ...". */
    private static String explain(SAXParseException e) {
        String p = problem(e);
        return p.startsWith("DOCTYPE") ? ": " + p : p.startsWith("elements") ? " is not accepted: " + p : " is " + p;
    }

    /** Errors are thrown, never printed: without a handler the JDK prints "[Fatal Error] :1:1: ..." to stderr. */
    private static final ErrorHandler SILENT = new ErrorHandler() {
        @Override
        public void warning(SAXParseException e) {
        }

        @Override
        public void error(SAXParseException e) throws SAXException {
            throw e;
        }

        @Override
        public void fatalError(SAXParseException e) throws SAXException {
            throw e;
        }
    };
}
