package dev.vfiokit.templates;

import dev.vfiokit.templates.xml.Domain;
import dev.vfiokit.templates.xml.DomainCopy;
import dev.vfiokit.templates.xml.DomainXml;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Rendered template skeletons read as domains, kept by their text: the VMs of a manifest mostly render the same
 * skeleton (the name, devices and the rest are set after), and a JAXB read cost ~9× a copy. Each caller gets a copy of
 * its own; what is kept is never handed out. The most recently used few are kept.
 */
final class SkeletonDomains {
    private static final int KEPT = 16;
    private static final Map<String, Domain> READ = new LinkedHashMap<>(32, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Domain> eldest) {
            return size() > KEPT;
        }
    };

    private SkeletonDomains() {
    }

    /** The domain this text reads as, a copy of its own; a text that does not read is refused as {@link DomainXml#read}. */
    static Domain of(String text) {
        Domain read;
        synchronized (READ) {
            read = READ.get(text);
        }
        if (read == null) {
            read = DomainXml.read(text);
            synchronized (READ) {
                READ.put(text, read);
            }
        }
        return DomainCopy.of(read);
    }
}
