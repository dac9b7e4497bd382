package dev.vfiokit.templates;

/** A documented template parameter with its default. */
public record TemplateParameter(String name, String defaultValue, String doc) {
}
