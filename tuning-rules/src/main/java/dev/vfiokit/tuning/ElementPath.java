package dev.vfiokit.tuning;

import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The absolute paths rules select with ({@code /domain/devices/hostdev[@type='mdev'][@display='on']}), walked over the
 * DOM directly: the JDK's XPath engine builds a context and parses the expression on every evaluation, which was most
 * of the time of tuning a thousand domains. Each path is parsed once per process; a rule file's expression of any
 * other XPath form is not an ElementPath and goes to the XPath engine as before.
 */
final class ElementPath {
    private static final Pattern STEP = Pattern.compile("([A-Za-z_][\\w.-]*)((?:\\[@[\\w-]+='[^']*'])*)");
    private static final Pattern PREDICATE = Pattern.compile("\\[@([\\w-]+)='([^']*)']");
    private static final Map<String, Optional<ElementPath>> PARSED = new ConcurrentHashMap<>();

    /** One step: an element name and the attribute values it must have. */
    private record Step(String name, List<String[]> attributes) {
        boolean matches(Element e) {
            if (!e.getTagName().equals(name)) {
                return false;
            }
            for (String[] a : attributes) {
                if (!e.hasAttribute(a[0]) || !e.getAttribute(a[0]).equals(a[1])) {
                    return false;
                }
            }
            return true;
        }
    }

    private final List<Step> steps;

    private ElementPath(List<Step> steps) {
        this.steps = List.copyOf(steps);
    }

    /** The path, when the expression is one (absolute, named steps, attribute-equality predicates); else empty. */
    static Optional<ElementPath> of(String expr) {
        return PARSED.computeIfAbsent(expr, ElementPath::parse);
    }

    private static Optional<ElementPath> parse(String expr) {
        if (!expr.startsWith("/") || expr.startsWith("//")) {
            return Optional.empty();
        }
        List<Step> steps = new ArrayList<>();
        for (String part : expr.substring(1).split("/", -1)) {
            Matcher m = STEP.matcher(part);
            if (!m.matches()) {
                return Optional.empty();
            }
            List<String[]> attrs = new ArrayList<>();
            Matcher p = PREDICATE.matcher(m.group(2));
            while (p.find()) {
                attrs.add(new String[] {p.group(1), p.group(2)});
            }
            steps.add(new Step(m.group(1), attrs));
        }
        return Optional.of(new ElementPath(steps));
    }

    /** The elements the path selects, in document order (as XPath's node-set is). */
    List<Element> select(Document doc) {
        List<Element> at = new ArrayList<>();
        Element root = doc.getDocumentElement();
        if (root == null || !steps.get(0).matches(root)) {
            return at;
        }
        at.add(root);
        for (int i = 1; i < steps.size(); i++) {
            Step s = steps.get(i);
            List<Element> next = new ArrayList<>();
            for (Element e : at) {
                for (Node n = e.getFirstChild(); n != null; n = n.getNextSibling()) {
                    if (n instanceof Element c && s.matches(c)) {
                        next.add(c);
                    }
                }
            }
            at = next;
        }
        return at;
    }
}
