package dev.vfiokit.templates;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A domain template: a summary, parameters, and a domain skeleton with {@code ${param}} placeholders. */
public record Template(String name, String summary, List<TemplateParameter> parameters, String skeleton, String origin) {
    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([a-z_]+)}");

    public Template {
        parameters = List.copyOf(parameters);
    }

    public Optional<TemplateParameter> parameter(String name) {
        return parameters.stream().filter(p -> p.name().equals(name)).findFirst();
    }

    /** The skeleton with every placeholder replaced by its (XML-escaped) value. */
    public String render(Map<String, String> values) {
        Matcher m = PLACEHOLDER.matcher(skeleton);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            String v = values.get(m.group(1));
            if (v == null) {
                throw new IllegalStateException("template " + name + " uses ${" + m.group(1) + "} but declares no such parameter");
            }
            m.appendReplacement(sb, Matcher.quoteReplacement(escape(v)));
        }
        m.appendTail(sb);
        return sb.toString();
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;").replace("'", "&apos;");
    }
}
