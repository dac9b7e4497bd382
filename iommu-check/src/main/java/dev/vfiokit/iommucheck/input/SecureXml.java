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

    private static final javax.xml.parsers.SAXParserFactory SAX = saxFactory();

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

    /** A SAX parser per thread for {@link #attributeOrder}, kept for the reason the builders are. */
    private static final ThreadLocal<javax.xml.parsers.SAXParser> ORDER_PARSER = ThreadLocal.withInitial(() -> {
        try {
            return SAX.newSAXParser();
        } catch (ParserConfigurationException | SAXException e) {
            throw new IllegalStateException("the JDK's XML parser lacks a security feature: " + e.getMessage(), e);
        }
    });

    /**
     * The attribute names of every element, elements in document order, attributes in the order the text gives
     * them: the DOM keeps attributes sorted by name, so a writer that wants the input's order asks here. Call it on
     * text {@link #parse} accepted.
     */
    public static java.util.List<java.util.List<String>> attributeOrder(String xml) {
        java.util.List<java.util.List<String>> out = new java.util.ArrayList<>();
        try {
            javax.xml.parsers.SAXParser p = ORDER_PARSER.get();
            p.getXMLReader().setErrorHandler(SILENT);
            p.parse(new InputSource(new StringReader(xml)), new org.xml.sax.helpers.DefaultHandler() {
                @Override
                public void startElement(String uri, String localName, String qName, org.xml.sax.Attributes atts) {
                    java.util.List<String> names = new java.util.ArrayList<>(atts.getLength());
                    for (int i = 0; i < atts.getLength(); i++) {
                        names.add(atts.getQName(i));
                    }
                    out.add(names);
                }

                @Override
                public org.xml.sax.InputSource resolveEntity(String publicId, String systemId) throws SAXException {
                    throw new SAXException("external entities are not accepted");
                }
            });
        } catch (SAXException | IOException e) {
            throw new InputRejected("the XML is not accepted: " + e.getMessage());
        }
        return out;
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
