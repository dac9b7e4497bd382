package dev.vfiokit.templates;

import java.nio.charset.StandardCharsets;

/** What libvirt accepts as a domain name: not empty, no '/', no control characters, at most 255 bytes (a file name). */
public final class DomainNames {
    private DomainNames() {
    }

    public static String requireValid(String name) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("a domain name is needed (--name)");
        }
        if (name.contains("/")) {
            throw new IllegalArgumentException("domain name '" + name + "' contains '/', which libvirt refuses");
        }
        if (name.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            throw new IllegalArgumentException("domain name contains control characters");
        }
        if (!name.equals(name.strip())) {
            throw new IllegalArgumentException("domain name '" + name + "' starts or ends with whitespace");
        }
        if (name.getBytes(StandardCharsets.UTF_8).length > 255) {
            throw new IllegalArgumentException("domain name is longer than 255 bytes");
        }
        return name;
    }
}
