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
