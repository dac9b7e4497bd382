package dev.vfiokit.tuning;

import dev.vfiokit.iommucheck.host.HostSnapshot;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import javax.xml.xpath.XPath;
import javax.xml.xpath.XPathConstants;
import javax.xml.xpath.XPathExpressionException;
import javax.xml.xpath.XPathFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Applies a profile's rules, in order, to any domain XML. Elements no rule names are kept as they are. A rule
 * whose condition holds but which cannot be carried out leaves the document as it was and says why.
 */
public final class Tuner {
    /** Attributes libvirt's schema requires on a top-level element a rule creates, with libvirt's own default. */
    private static final Map<String, Map<String, String>> REQUIRED_ON_CREATE = Map.of("clock", Map.of("offset", "utc"));
    private static final Pattern STEP = Pattern.compile("([A-Za-z_][\\w.-]*)(?:\\[@([\\w-]+)='([^']*)'])?");
    private final RuleCatalogue catalogue;

    public Tuner(RuleCatalogue catalogue) {
        this.catalogue = catalogue;
    }

    /**
     * @param host the host the domain runs on (for GPU detection, NUMA, pinning, hugepages); null when unknown
     */
    public TuningResult tune(String xml, String profileName, HostSnapshot host) {
        return tune(xml, catalogue.profile(profileName), host);
    }

    /**
     * Tunes the text of a file ({@code file} null: not from a file; a parse error names it as FILE:LINE), placing
     * around what other domains on that host hold (their pinned CPUs, hugepages promised to them).
     */
    public TuningResult tuneFile(String xml, String file, Profile profile, HostSnapshot host, NumaLedger others) {
        return tune(xml, file, profile, host, others, true);
    }

    /**
     * Tunes for a caller that defines the result and never shows a diff (provisioning): the input is not written back
     * as the original, a write per domain saved; the result's {@link TuningResult#diff()} and
     * {@link TuningResult#changed()} are refused.
     */
    public TuningResult tuneToDefine(TuningInput input, Profile profile, HostSnapshot host, NumaLedger others) {
        return tune(input.take(), profile, host, others, false);
    }

    /** Tunes with any profile, also one made up on the spot (a single rule, in tests). */
    public TuningResult tune(String xml, Profile profile, HostSnapshot host) {
        return tune(xml, null, profile, host, NumaLedger.NONE, true);
    }

    private TuningResult tune(String xml, String file, Profile profile, HostSnapshot host, NumaLedger others, boolean withOriginal) {
        return tune(DomXml.parse(xml, file), profile, host, others, withOriginal);
    }

    private TuningResult tune(Document doc, Profile profile, HostSnapshot host, NumaLedger others, boolean withOriginal) {
        String profileName = profile.name();
        String original = withOriginal ? DomXml.write(doc) : null;
        List<RuleOutcome> outcomes = new ArrayList<>();
        // the guest OS is the input's: a <hyperv> that nvidia-hide-kvm adds does not make a Linux guest Windows
        String os = DomainFacts.osFamily(doc.getDocumentElement());
        String arch = DomainFacts.arch(doc.getDocumentElement());
        Element name = DomXml.child(doc.getDocumentElement(), "name");
        NumaLedger othersThanThis = name == null ? others : others.without(name.getTextContent().strip());
        Set<String> facts = null;
        for (Rule rule : catalogue.rulesOf(profile)) {
            if (!rule.isFor(arch)) {
                outcomes.add(new RuleOutcome(rule, RuleOutcome.Status.NOT_APPLICABLE, List.of(),
                        "for " + rule.archesText() + " guests; this guest is " + arch));
                continue;
            }
            // the facts change only when a rule changed the document: read them again only then
            if (facts == null) {
                facts = DomainFacts.of(doc.getDocumentElement(), host, profile, os);
            }
            if (!rule.when().holds(facts)) {
                outcomes.add(new RuleOutcome(rule, RuleOutcome.Status.NOT_APPLICABLE, List.of(), "condition: " + rule.when().describe()));
                continue;
            }
            // only computed actions can find a rule impossible half way: only their rules need the copy to go back to
            boolean mayFail = rule.actions().stream().anyMatch(a -> a instanceof Action.Compute);
            Element before = mayFail ? (Element) doc.getDocumentElement().cloneNode(true) : null;
            List<String> changes = new ArrayList<>();
            try {
                for (Action a : rule.actions()) {
                    changes.addAll(apply(a, doc, host, othersThanThis));
                }
                outcomes.add(new RuleOutcome(rule, changes.isEmpty() ? RuleOutcome.Status.UNCHANGED : RuleOutcome.Status.APPLIED,
                        changes, ""));
                if (!changes.isEmpty()) {
                    facts = null;
                }
            } catch (CannotApply e) {
                doc.replaceChild(before, doc.getDocumentElement());
                facts = null;
                outcomes.add(new RuleOutcome(rule, RuleOutcome.Status.CANNOT_APPLY, List.of(), e.getMessage()));
            }
        }
        String tuned = DomXml.write(doc);
        return new TuningResult(profileName, original, tuned, outcomes, PassedHostDevices.of(doc.getDocumentElement(), host), doc.getDocumentElement());
    }

    private static List<String> apply(Action a, Document doc, HostSnapshot host, NumaLedger others) {
        List<String> changes = new ArrayList<>();
        if (a instanceof Action.Remove r) {
            for (Element e : select(r.xpath(), doc)) {
                changes.add("removed " + DomXml.brief(e));
                e.getParentNode().removeChild(e);
            }
        } else if (a instanceof Action.Set s) {
            for (Element e : select(s.xpath(), doc)) {
                if (!e.getAttribute(s.attribute()).equals(s.value()) || !e.hasAttribute(s.attribute())) {
                    // the element as it was: "set display='off' on <hostdev display='on'>", not the value twice
                    String was = DomXml.brief(e);
                    e.setAttribute(s.attribute(), s.value());
                    changes.add("set " + s.attribute() + "='" + s.value() + "' on " + was);
                }
            }
        } else if (a instanceof Action.Ensure en) {
            ensure(doc.getDocumentElement(), en.path(), en.attributes(), changes);
        } else if (a instanceof Action.Compute c) {
            changes.addAll(new ComputedActions(doc.getDocumentElement(), host, others).run(c.name()));
        }
        return changes;
    }

    /** An XPath engine per thread, made when a rule first needs one: most paths are plain element paths. */
    private static final ThreadLocal<XPath> XPATH = ThreadLocal.withInitial(() -> XPathFactory.newInstance().newXPath());

    private static List<Element> select(String expr, Document doc) {
        java.util.Optional<ElementPath> path = ElementPath.of(expr);
        if (path.isPresent()) {
            return path.get().select(doc);
        }
        try {
            NodeList nodes = (NodeList) XPATH.get().evaluate(expr, doc, XPathConstants.NODESET);
            List<Element> out = new ArrayList<>();
            for (int i = 0; i < nodes.getLength(); i++) {
                if (nodes.item(i) instanceof Element e) {
                    out.add(e);
                }
            }
            return out;
        } catch (XPathExpressionException e) {
            throw new IllegalArgumentException("bad XPath '" + expr + "': " + e.getMessage(), e);
        }
    }

    private static void ensure(Element domain, String path, Map<String, String> attrs, List<String> changes) {
        Element at = domain;
        for (String step : path.split("/")) {
            Matcher m = STEP.matcher(step);
            if (!m.matches()) {
                throw new IllegalArgumentException("bad ensure path step '" + step + "' in " + path);
            }
            String tag = m.group(1);
            String key = m.group(2);
            String value = m.group(3);
            Element found = null;
            for (Element c : DomXml.children(at, tag)) {
                if (key == null || c.getAttribute(key).equals(value)) {
                    found = c;
                    break;
                }
            }
            if (found == null) {
                found = at.getOwnerDocument().createElement(tag);
                if (key != null) {
                    found.setAttribute(key, value);
                }
                // an element libvirt's schema requires attributes on comes with them ({@code <clock offset='utc'>})
                REQUIRED_ON_CREATE.getOrDefault(at == domain ? tag : "", Map.of()).forEach(found::setAttribute);
                DomXml.addChild(at, found);
                changes.add("added " + DomXml.brief(found) + " to <" + at.getTagName() + ">");
            }
            at = found;
        }
        for (Map.Entry<String, String> e : attrs.entrySet()) {
            if (!at.getAttribute(e.getKey()).equals(e.getValue()) || !at.hasAttribute(e.getKey())) {
                at.setAttribute(e.getKey(), e.getValue());
                changes.add("set " + e.getKey() + "='" + e.getValue() + "' on <" + at.getTagName() + ">");
            }
        }
    }

}
