package dev.vfiokit.templates;

import dev.vfiokit.templates.xml.Domain;

import java.util.List;

/** A generated domain: the model, its XML, and what the generator decided on the admin's behalf. */
public record GeneratedDomain(Domain domain, String xml, List<String> notes) {
    public GeneratedDomain {
        notes = List.copyOf(notes);
    }
}
