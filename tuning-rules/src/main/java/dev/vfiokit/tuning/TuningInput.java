package dev.vfiokit.tuning;

import org.w3c.dom.Document;
import org.xml.sax.ContentHandler;

import java.util.function.Supplier;

/**
 * A domain's text on its way to the tuner, read into the tuner's document once, by whichever thread gets to it
 * first: reading needs neither the host nor what other domains hold, so a batch reads ahead on a thread with time
 * to spare while the tuner, which places domains one after another, works on earlier ones. Tuned once.
 */
public final class TuningInput {
    /** A domain written as SAX events, as a JAXB marshaller writes (without formatting) to a handler. */
    @FunctionalInterface
    public interface Events {
        void writeTo(ContentHandler handler) throws Exception;
    }

    private Supplier<String> text;
    private Events events;
    private final int indentStep;
    private Document document;
    private RuntimeException refused;
    private boolean taken;

    private TuningInput(Supplier<String> text, Events events, int indentStep) {
        this.text = text;
        this.events = events;
        this.indentStep = indentStep;
    }

    public static TuningInput of(String xml) {
        return new TuningInput(() -> xml, null, 0);
    }

    /**
     * A domain that a JAXB marshaller writes: read from its events into the document its indented text (indentStep
     * spaces a level, as {@code text} writes it) would parse as, with no text written; where the events hold what
     * that does not mirror exactly (quotes, markup or non-ASCII characters, namespaces, mixed content), the text is
     * written and parsed.
     */
    public static TuningInput ofEvents(Events events, int indentStep, Supplier<String> text) {
        return new TuningInput(text, events, indentStep);
    }

    /** Reads it now, if no thread has; a text that does not read is refused when tuned, as if read then. */
    public synchronized void read() {
        if (!taken && document == null && refused == null) {
            try {
                document = events == null ? null : DomXml.fromEvents(events, indentStep);
                if (document == null) {
                    document = DomXml.parse(text.get(), null);
                }
            } catch (RuntimeException e) {
                refused = e;
            }
            // what it was read from is not needed again: a batch's list of inputs does not keep every domain
            text = null;
            events = null;
        }
    }

    /** Whether a thread has read it already, or the tuner took it (a batch that reads ahead skips those). */
    public synchronized boolean isRead() {
        return taken || document != null || refused != null;
    }

    /** The document to tune, read here if no thread did: once only, since tuning changes it. */
    synchronized Document take() {
        if (taken) {
            throw new IllegalStateException("a tuning input is tuned once");
        }
        read();
        taken = true;
        if (refused != null) {
            throw refused;
        }
        Document d = document;
        document = null; // the tuner's now: a batch's list of inputs does not keep every document
        return d;
    }
}
