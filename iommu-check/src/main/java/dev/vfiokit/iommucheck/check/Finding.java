package dev.vfiokit.iommucheck.check;

import java.util.List;

/**
 * One result of a check: what was checked ({@code id}, {@code subject}: "host" or a PCI address), how it
 * went, what was seen, and what to do about it ({@code hint}; empty when nothing needs doing).
 */
public record Finding(String id, Severity severity, String subject, String message, String hint,
                      List<String> evidence) {
    public Finding {
        hint = hint == null ? "" : hint;
        evidence = List.copyOf(evidence);
    }

    public static Finding pass(String id, String subject, String message, List<String> evidence) {
        return new Finding(id, Severity.PASS, subject, message, "", evidence);
    }
}
