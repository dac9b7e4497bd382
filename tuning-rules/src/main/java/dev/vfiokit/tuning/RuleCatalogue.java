package dev.vfiokit.tuning;

import org.w3c.dom.Element;

import javax.xml.xpath.XPathExpressionException;
import javax.xml.xpath.XPathFactory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Rules and profiles: the built-in files (resources) plus every *.xml of a user directory, which add rules and
 * profiles or replace built-ins of the same id. A file holds {@code <rules>} with {@code <rule>} and
 * {@code <profile>} elements (format in README).
 */
public final class RuleCatalogue {
    private static final String BUILTIN = "/dev/vfiokit/tuning/";
    private static final List<String> BUILTIN_FILES = List.of("devices.xml", "cpu-memory.xml", "features.xml", "profiles.xml");
    private static final Set<String> COMPUTED = Set.of("cpu-topology", "vcpu-pinning", "hugepages", "serial-console",
            "usb-none", "q35", "disk-iothread", "net-multiqueue", "nvidia-vendor-id", "device-functions", "hyperv-host");

    private final Map<String, Rule> rules;
    private final Map<String, Profile> profiles;

    private RuleCatalogue(Map<String, Rule> rules, Map<String, Profile> profiles) {
        this.rules = rules;
        this.profiles = profiles;
    }

    public static RuleCatalogue builtin() {
        return withDirectory(null);
    }

    public static RuleCatalogue withDirectory(Path dir) {
        Map<String, Rule> rules = new LinkedHashMap<>();
        Map<String, Profile> profiles = new LinkedHashMap<>();
        for (String f : BUILTIN_FILES) {
            try (InputStream in = RuleCatalogue.class.getResourceAsStream(BUILTIN + f)) {
                if (in == null) {
                    throw new IllegalStateException("built-in rule file " + f + " is missing from the jar");
                }
                load(in.readAllBytes(), "built-in " + f, rules, profiles);
            } catch (IOException e) {
                throw new IllegalStateException("cannot read built-in rule file " + f, e);
            }
        }
        if (dir != null && Files.isDirectory(dir)) {
            try (Stream<Path> s = Files.list(dir)) {
                for (Path p : s.filter(p -> p.toString().endsWith(".xml")).sorted().toList()) {
                    load(dev.vfiokit.iommucheck.input.InputFile.bytes(p, "rule file"), p.toString(), rules, profiles);
                }
            } catch (IOException e) {
                throw new IllegalArgumentException("cannot read rules from " + dir + ": " + e.getMessage(), e);
            }
        }
        for (Profile p : profiles.values()) {
            for (String id : p.ruleIds()) {
                if (!rules.containsKey(id)) {
                    throw new IllegalArgumentException(p.origin() + ": profile " + p.name() + " names unknown rule '" + id + "'");
                }
            }
        }
        return new RuleCatalogue(rules, profiles);
    }

    public List<Rule> rules() {
        return List.copyOf(rules.values());
    }

    public List<Profile> profiles() {
        return List.copyOf(profiles.values());
    }

    public Profile profile(String name) {
        Profile p = profiles.get(name);
        if (p == null) {
            throw new IllegalArgumentException("unknown profile '" + name + "' (known: " + String.join(", ", profiles.keySet()) + ")");
        }
        return p;
    }

    public List<Rule> rulesOf(Profile p) {
        return p.ruleIds().stream().map(rules::get).toList();
    }

    private static void load(byte[] xml, String origin, Map<String, Rule> rules, Map<String, Profile> profiles) {
        Element root;
        root = dev.vfiokit.iommucheck.input.SecureXml.parse(new String(xml, java.nio.charset.StandardCharsets.UTF_8), origin).getDocumentElement();
        if (!root.getTagName().equals("rules")) {
            throw new IllegalArgumentException(origin + ": expected <rules> as the root element");
        }
        for (Element e : DomXml.children(root, null)) {
            switch (e.getTagName()) {
                case "rule" -> {
                    Rule r = rule(e, origin);
                    rules.put(r.id(), r);
                }
                case "profile" -> {
                    Profile p = new Profile(required(e, "name", origin), text(e, "description"), words(e.getAttribute("traits")),
                            DomXml.children(e, "use").stream().map(u -> required(u, "rule", origin)).toList(), origin);
                    profiles.put(p.name(), p);
                }
                default -> throw new IllegalArgumentException(origin + ": unknown element <" + e.getTagName() + ">");
            }
        }
    }

    private static Rule rule(Element e, String origin) {
        String id = required(e, "id", origin);
        Element when = DomXml.child(e, "when");
        Condition c = when == null ? new Condition(Set.of(), Set.of(), Set.of())
                : new Condition(words(when.getAttribute("all")), words(when.getAttribute("any")), words(when.getAttribute("none")));
        List<Action> actions = new ArrayList<>();
        for (Element a : DomXml.children(e, null)) {
            switch (a.getTagName()) {
                case "remove" -> actions.add(new Action.Remove(xpath(a, id, origin)));
                case "set" -> actions.add(new Action.Set(xpath(a, id, origin), required(a, "attribute", origin), a.getAttribute("value")));
                case "ensure" -> {
                    Map<String, String> attrs = new LinkedHashMap<>();
                    for (String kv : words(a.getAttribute("attributes"))) {
                        int eq = kv.indexOf('=');
                        if (eq <= 0) {
                            throw new IllegalArgumentException(origin + ": rule " + id + ": attributes take name=value, got '" + kv + "'");
                        }
                        attrs.put(kv.substring(0, eq), kv.substring(eq + 1));
                    }
                    actions.add(new Action.Ensure(required(a, "path", origin), attrs));
                }
                case "compute" -> {
                    String name = required(a, "name", origin);
                    if (!COMPUTED.contains(name)) {
                        throw new IllegalArgumentException(origin + ": rule " + id + ": unknown computed action '" + name
                                + "' (known: " + String.join(", ", COMPUTED.stream().sorted().toList()) + ")");
                    }
                    actions.add(new Action.Compute(name));
                }
                case "title", "rationale", "when" -> {
                }
                default -> throw new IllegalArgumentException(origin + ": rule " + id + ": unknown element <" + a.getTagName() + ">");
            }
        }
        if (actions.isEmpty()) {
            throw new IllegalArgumentException(origin + ": rule " + id + " has no actions");
        }
        return new Rule(id, text(e, "title"), text(e, "rationale"), words(e.getAttribute("arch")), c, actions, origin);
    }

    private static String xpath(Element a, String id, String origin) {
        String x = required(a, "xpath", origin);
        try {
            XPathFactory.newInstance().newXPath().compile(x);
        } catch (XPathExpressionException ex) {
            throw new IllegalArgumentException(origin + ": rule " + id + ": bad XPath '" + x + "'");
        }
        return x;
    }

    private static String required(Element e, String attr, String origin) {
        String v = e.getAttribute(attr);
        if (v.isBlank()) {
            throw new IllegalArgumentException(origin + ": <" + e.getTagName() + "> needs " + attr + "=");
        }
        return v;
    }

    private static String text(Element e, String tag) {
        Element c = DomXml.child(e, tag);
        return c == null ? "" : c.getTextContent().strip().replaceAll("\\s+", " ");
    }

    private static Set<String> words(String s) {
        return s == null || s.isBlank() ? Set.of() : new LinkedHashSet<>(Arrays.asList(s.strip().split("\\s+")));
    }


}
