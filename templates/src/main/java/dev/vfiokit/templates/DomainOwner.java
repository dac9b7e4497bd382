package dev.vfiokit.templates;

import dev.vfiokit.iommucheck.input.SecureXml;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import java.util.Optional;

/**
 * What marks a domain as vfiokit's: libvirt {@code <metadata>} in vfiokit's own namespace, saying which command made
 * it ({@code domain generate}, {@code provision}), for which VM and manifest, with which version. vfiokit redefines
 * or destroys only domains that carry it; a domain without it is the admin's.
 */
public record DomainOwner(String by, String vm, String manifest, String version) {
    public static final String NS = "https://vfiokit.dev/xmlns/domain/1";
    public static final String BY_GENERATE = "domain generate";
    public static final String BY_PROVISION = "provision";

    public static DomainOwner of(String by, String vm, String manifest) {
        return new DomainOwner(by, vm, manifest, dev.vfiokit.iommucheck.BuildInfo.version());
    }

    /** The {@code <metadata>} element that holds the mark, for a domain being written. */
    public Element toMetadata() {
        Document doc = BUILDER.get().newDocument();
        Element metadata = doc.createElement("metadata");
        metadata.appendChild(owner(doc));
        return metadata;
    }

    /** A document builder per thread: looking the factory up for every domain cost more than building the mark. */
    private static final ThreadLocal<javax.xml.parsers.DocumentBuilder> BUILDER = ThreadLocal.withInitial(() -> {
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setNamespaceAware(true);
            return f.newDocumentBuilder();
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException(e);
        }
    });

    /** Marks a domain being built: the {@code <metadata>} it has (a template's) gets this mark instead of any earlier one. */
    public void mark(dev.vfiokit.templates.xml.Domain d) {
        Element metadata = d.other.stream().filter(e -> "metadata".equals(e.getLocalName() == null ? e.getTagName() : e.getLocalName()))
                .findFirst().orElse(null);
        if (metadata == null) {
            d.other.add(toMetadata());
            return;
        }
        NodeList old = metadata.getElementsByTagNameNS(NS, "owner");
        for (int i = old.getLength() - 1; i >= 0; i--) {
            old.item(i).getParentNode().removeChild(old.item(i));
        }
        metadata.appendChild(owner(metadata.getOwnerDocument()));
    }

    /** Takes vfiokit's mark off a domain being built (an emptied {@code <metadata>} goes too). */
    public static void unmark(dev.vfiokit.templates.xml.Domain d) {
        for (Element metadata : d.other.stream().filter(e -> "metadata".equals(e.getLocalName() == null ? e.getTagName() : e.getLocalName())).toList()) {
            NodeList old = metadata.getElementsByTagNameNS(NS, "owner");
            for (int i = old.getLength() - 1; i >= 0; i--) {
                old.item(i).getParentNode().removeChild(old.item(i));
            }
            if (metadata.getElementsByTagName("*").getLength() == 0) {
                d.other.remove(metadata);
            }
        }
    }

    /** Domain XML already written (by the tuner, say), with this mark in its {@code <metadata>} (one made if none). */
    public String markXml(String xml) {
        int i = xml.indexOf("<metadata>");
        if (i >= 0) {
            return xml.substring(0, i + 10) + toXml() + xml.substring(i + 10);
        }
        int end = xml.lastIndexOf("</domain>");
        if (end < 0) {
            throw new IllegalArgumentException("not domain XML: no </domain>");
        }
        return xml.substring(0, end) + "  <metadata>" + toXml() + "</metadata>\n" + xml.substring(end);
    }

    /** The mark as text, to place inside a {@code <metadata>} of domain XML already written. */
    public String toXml() {
        return "<vfiokit:owner xmlns:vfiokit=\"" + NS + "\" by=\"" + esc(by) + "\" vm=\"" + esc(vm) + "\""
                + (manifest == null ? "" : " manifest=\"" + esc(manifest) + "\"") + " version=\"" + esc(version) + "\"/>";
    }

    private Element owner(Document doc) {
        Element o = doc.createElementNS(NS, "vfiokit:owner");
        o.setAttribute("by", by);
        o.setAttribute("vm", vm);
        if (manifest != null) {
            o.setAttribute("manifest", manifest);
        }
        o.setAttribute("version", version);
        return o;
    }

    /** The mark in a domain's XML, if it has one. */
    public static Optional<DomainOwner> in(String domainXml) {
        return in(SecureXml.parseNamespaced(domainXml, "domain XML").getDocumentElement());
    }

    /** The mark in a domain's root element, parsed namespace-aware, if it has one. */
    public static Optional<DomainOwner> in(Element domain) {
        NodeList owners = domain.getElementsByTagNameNS(NS, "owner");
        for (int i = 0; i < owners.getLength(); i++) {
            Element o = (Element) owners.item(i);
            if (o.getParentNode() instanceof Element m && m.getLocalName() != null && m.getLocalName().equals("metadata")
                    && m.getParentNode() == domain) {
                return Optional.of(new DomainOwner(o.getAttribute("by"), o.getAttribute("vm"),
                        o.hasAttribute("manifest") ? o.getAttribute("manifest") : null, o.getAttribute("version")));
            }
        }
        return Optional.empty();
    }

    private static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace("\"", "&quot;");
    }
}
