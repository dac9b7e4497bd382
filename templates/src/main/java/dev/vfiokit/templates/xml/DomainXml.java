package dev.vfiokit.templates.xml;

import jakarta.xml.bind.JAXBContext;
import jakarta.xml.bind.JAXBException;
import jakarta.xml.bind.Marshaller;
import jakarta.xml.bind.Unmarshaller;

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

    public static Domain read(String xml) {
        try {
            Unmarshaller u = Context.INSTANCE.createUnmarshaller();
            return (Domain) u.unmarshal(new StringReader(xml));
        } catch (JAXBException e) {
            Throwable c = e.getLinkedException() != null ? e.getLinkedException() : e;
            throw new IllegalArgumentException("not a valid domain XML: " + c.getMessage(), e);
        } catch (ClassCastException e) {
            throw new IllegalArgumentException("not a domain XML (root element is not <domain>)", e);
        }
    }

    public static String write(Domain d) {
        try {
            Marshaller m = Context.INSTANCE.createMarshaller();
            m.setProperty(Marshaller.JAXB_FORMATTED_OUTPUT, true);
            m.setProperty(Marshaller.JAXB_FRAGMENT, true);
            StringWriter w = new StringWriter();
            m.marshal(d, w);
            return w.toString().strip() + "\n";
        } catch (JAXBException e) {
            throw new IllegalStateException("cannot write domain XML: " + e.getMessage(), e);
        }
    }
}
