package dev.vfiokit.templates.xml;

import jakarta.xml.bind.JAXBContext;
import jakarta.xml.bind.JAXBException;
import jakarta.xml.bind.Marshaller;
import jakarta.xml.bind.Unmarshaller;

import dev.vfiokit.iommucheck.input.SecureXml;
import org.xml.sax.InputSource;

import javax.xml.transform.sax.SAXSource;
import java.io.StringReader;
import java.io.StringWriter;

/** Reads and writes domain XML. The JAXB context costs ~160 ms, so it is made once per process. */
public final class DomainXml {
    /** The spaces a level that {@link #write} indents by (set, not JAXB's default taken on trust). */
    public static final int INDENT_STEP = 4;

    private DomainXml() {
    }

    private static final class Context {
        static final JAXBContext INSTANCE;

        static {
            try {
                INSTANCE = JAXBContext.newInstance(Domain.class);
            } catch (JAXBException e) {
                throw new ExceptionInInitializerError(e);
            }
        }
    }

    /**
     * An unmarshaller, a marshaller and a SAX reader per thread, kept: making them (the reader's whole parser
     * configuration above all) cost more than reading or writing a domain. The reader is the secure one.
     */
    private static final ThreadLocal<Unmarshaller> UNMARSHALLER = ThreadLocal.withInitial(() -> {
        try {
            return Context.INSTANCE.createUnmarshaller();
        } catch (JAXBException e) {
            throw new IllegalStateException(e);
        }
    });
    private static final ThreadLocal<org.xml.sax.XMLReader> READER = ThreadLocal.withInitial(SecureXml::namespacedReader);
    private static final ThreadLocal<Marshaller> MARSHALLER = ThreadLocal.withInitial(() -> {
        try {
            Marshaller m = Context.INSTANCE.createMarshaller();
            m.setProperty(Marshaller.JAXB_FORMATTED_OUTPUT, true);
            m.setProperty(Marshaller.JAXB_FRAGMENT, true);
            m.setProperty("org.glassfish.jaxb.indentString", " ".repeat(INDENT_STEP));
            return m;
        } catch (JAXBException e) {
            throw new IllegalStateException(e);
        }
    });

    public static Domain read(String xml) {
        try {
            return (Domain) UNMARSHALLER.get().unmarshal(new SAXSource(READER.get(), new InputSource(new StringReader(xml))));
        } catch (JAXBException e) {
            Throwable c = e.getLinkedException() != null ? e.getLinkedException() : e;
            throw new IllegalArgumentException("not a valid domain XML: " + c.getMessage(), e);
        } catch (ClassCastException e) {
            throw new IllegalArgumentException("not a domain XML (root element is not <domain>)", e);
        }
    }

    /**
     * Writes the domain as SAX events, what {@link #write} makes its text from: for a reader that would only parse
     * that text again. Errors the handler raises come back as they were raised.
     */
    public static void writeTo(Domain d, org.xml.sax.ContentHandler handler) throws org.xml.sax.SAXException {
        try {
            MARSHALLER.get().marshal(d, handler);
        } catch (JAXBException e) {
            for (Throwable c = e; c != null; c = c.getCause()) {
                if (c instanceof org.xml.sax.SAXException s) {
                    throw s;
                }
            }
            throw new IllegalStateException("cannot write domain XML: " + e.getMessage(), e);
        }
    }

    public static String write(Domain d) {
        try {
            StringWriter w = new StringWriter();
            MARSHALLER.get().marshal(d, w);
            return w.toString().strip() + "\n";
        } catch (JAXBException e) {
            throw new IllegalStateException("cannot write domain XML: " + e.getMessage(), e);
        }
    }
}
