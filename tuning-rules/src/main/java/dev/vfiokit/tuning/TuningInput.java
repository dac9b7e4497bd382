package dev.vfiokit.tuning;

import org.w3c.dom.Document;

/**
 * A domain's text on its way to the tuner, read into the tuner's document once, by whichever thread gets to it
 * first: reading needs neither the host nor what other domains hold, so a batch reads ahead on a thread with time
 * to spare while the tuner, which places domains one after another, works on earlier ones. Tuned once.
 */
public final class TuningInput {
    private final String xml;
    private Document document;
    private RuntimeException refused;
    private boolean taken;

    private TuningInput(String xml) {
        this.xml = xml;
    }

    public static TuningInput of(String xml) {
        return new TuningInput(xml);
    }

    /** Reads the text now, if no thread has; a text that does not read is refused when tuned, as if read then. */
    public synchronized void read() {
        if (!taken && document == null && refused == null) {
            try {
                document = DomXml.parse(xml, null);
            } catch (RuntimeException e) {
                refused = e;
            }
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
