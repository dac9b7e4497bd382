package dev.vfiokit.templates;

import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

import javax.xml.transform.OutputKeys;
import javax.xml.transform.Transformer;
import javax.xml.transform.TransformerException;
import javax.xml.transform.TransformerFactory;
import javax.xml.transform.dom.DOMSource;
import javax.xml.transform.stream.StreamResult;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The templates: the built-in catalogue (resource files), plus the *.xml files of a user directory, which
 * override built-ins of the same name.
 */
public final class TemplateCatalogue {
    private static final String BUILTIN = "/dev/vfiokit/templates/catalogue/";
    private final Map<String, Template> templates;

    private TemplateCatalogue(Map<String, Template> templates) {
        this.templates = templates;
    }

    public static TemplateCatalogue builtin() {
        return withUserDirectory(null);
    }

    /** The built-ins plus the templates in {@code dir} (when it exists). */
    public static TemplateCatalogue withUserDirectory(Path dir) {
        Map<String, Template> all = new TreeMap<>();
        for (String name : builtinNames()) {
            try (InputStream in = TemplateCatalogue.class.getResourceAsStream(BUILTIN + name + ".xml")) {
                if (in == null) {
                    throw new IllegalStateException("built-in template " + name + " is missing from the jar");
                }
                Template t = parse(in.readAllBytes(), "built-in");
                all.put(t.name(), t);
            } catch (IOException e) {
                throw new IllegalStateException("cannot read built-in template " + name, e);
            }
        }
        if (dir != null && Files.isDirectory(dir)) {
            try (Stream<Path> s = Files.list(dir)) {
                for (Path p : s.filter(p -> p.toString().endsWith(".xml")).sorted().toList()) {
                    Template t = parse(dev.vfiokit.iommucheck.input.InputFile.bytes(p, "template"), p.toString());
                    all.put(t.name(), t);
                }
            } catch (IOException e) {
                throw new IllegalArgumentException("cannot read templates from " + dir + ": " + e.getMessage(), e);
            }
        }
        return new TemplateCatalogue(all);
    }

    private static List<String> builtinNames() {
        try (InputStream in = TemplateCatalogue.class.getResourceAsStream(BUILTIN + "index.txt")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().map(String::strip)
                    .filter(l -> !l.isEmpty()).toList();
        } catch (IOException | NullPointerException e) {
            throw new IllegalStateException("the template index is missing from the jar", e);
        }
    }

    public List<Template> all() {
        return List.copyOf(templates.values());
    }

    public Optional<Template> find(String name) {
        return Optional.ofNullable(templates.get(name));
    }

    public Template get(String name) {
        return find(name).orElseThrow(() -> new IllegalArgumentException("unknown template '" + name + "' (known: "
                + String.join(", ", templates.keySet()) + ")"));
    }

    static Template parse(byte[] xml, String origin) {
        try {
            Document doc = dev.vfiokit.iommucheck.input.SecureXml.parse(new String(xml, java.nio.charset.StandardCharsets.UTF_8), origin);
            Element root = doc.getDocumentElement();
            if (!root.getTagName().equals("template") || root.getAttribute("name").isBlank()) {
                throw new IllegalArgumentException(origin + ": not a template (expected <template name=\"...\">)");
            }
            String summary = "";
            List<TemplateParameter> params = new ArrayList<>();
            Element domain = null;
            NodeList kids = root.getChildNodes();
            for (int i = 0; i < kids.getLength(); i++) {
                Node n = kids.item(i);
                if (!(n instanceof Element e)) {
                    continue;
                }
                switch (e.getTagName()) {
                    case "summary" -> summary = e.getTextContent().strip();
                    case "parameter" -> params.add(new TemplateParameter(e.getAttribute("name"), e.getAttribute("default"),
                            e.getTextContent().strip()));
                    case "domain" -> domain = e;
                    default -> throw new IllegalArgumentException(origin + ": unknown element <" + e.getTagName() + "> in template");
                }
            }
            if (domain == null) {
                throw new IllegalArgumentException(origin + ": template has no <domain> skeleton");
            }
            return new Template(root.getAttribute("name"), summary, params, serialize(domain), origin);
        } catch (TransformerException e) {
            throw new IllegalArgumentException(origin + ": not a readable template: " + e.getMessage(), e);
        }
    }

    private static String serialize(Element e) throws TransformerException {
        Transformer t = TransformerFactory.newInstance().newTransformer();
        t.setOutputProperty(OutputKeys.OMIT_XML_DECLARATION, "yes");
        StringWriter w = new StringWriter();
        t.transform(new DOMSource(e), new StreamResult(w));
        return w.toString();
    }
}
