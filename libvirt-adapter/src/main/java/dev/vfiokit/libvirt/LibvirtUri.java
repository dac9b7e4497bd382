package dev.vfiokit.libvirt;

import dev.vfiokit.iommucheck.input.InputFile;
import dev.vfiokit.iommucheck.input.InputRejected;
import dev.vfiokit.iommucheck.input.SecureXml;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;

/**
 * A libvirt URI from an option or a manifest, checked before libvirt sees it: only the transports admins use for
 * QEMU hosts, and libvirt's test driver for fixtures. A test-driver file is read by vfiokit first, so libvirt's
 * parser never gets a file it would quote back (its errors carry the file's first line: /etc/shadow's, say).
 */
public record LibvirtUri(String value, String scheme, Path testFile) {
    public static final List<String> SCHEMES = List.of("qemu", "qemu+ssh", "qemu+libssh", "qemu+libssh2", "qemu+tls", "qemu+tcp",
            "qemu+unix", "test");

    public static LibvirtUri parse(String uri) {
        String s = uri == null ? "" : uri.strip();
        URI u;
        try {
            u = new URI(s);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("not a libvirt URI: '" + s + "' (e.g. qemu:///system, qemu+ssh://root@gpu1/system)");
        }
        String scheme = u.getScheme();
        if (scheme == null || !SCHEMES.contains(scheme)) {
            throw new IllegalArgumentException("libvirt URI '" + s + "': vfiokit connects with " + String.join(", ", SCHEMES)
                    + " (e.g. qemu:///system, qemu+ssh://root@gpu1/system)");
        }
        Path file = null;
        if (scheme.equals("test")) {
            String path = u.getPath() == null ? "" : u.getPath();
            if (u.getHost() != null || !path.startsWith("/")) {
                throw new IllegalArgumentException("test driver URI '" + s + "': use test:///default or test:///ABSOLUTE/PATH.xml");
            }
            if (!path.equals("/default")) {
                file = Path.of(path);
                checkTestFile(file);
            }
        }
        return new LibvirtUri(s, scheme, file);
    }

    /** The file must be a test-driver host description; nothing of its content is ever repeated. */
    private static void checkTestFile(Path file) {
        try {
            String xml = InputFile.read(file, "test driver file");
            String root = SecureXml.parse(xml, "test driver file").getDocumentElement().getTagName();
            if (!root.equals("node")) {
                throw new InputRejected("x");
            }
        } catch (InputRejected e) {
            throw new IllegalArgumentException("cannot read the test driver file " + file + " (a libvirt test-driver host description, <node>, is expected)");
        }
    }

    public boolean isTestDriver() {
        return scheme.equals("test");
    }

    @Override
    public String toString() {
        return value;
    }
}
