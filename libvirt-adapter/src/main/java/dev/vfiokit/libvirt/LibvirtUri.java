package dev.vfiokit.libvirt;

import dev.vfiokit.iommucheck.input.InputFile;
import dev.vfiokit.iommucheck.input.InputRejected;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A libvirt URI from an option or a manifest, checked before libvirt sees it: only the transports admins use for
 * QEMU hosts, and libvirt's test driver for fixtures. libvirt's parser errors quote a test-driver file's first line
 * (/etc/shadow's, say), so such a file must be a regular file that starts as a host description ({@code <node>});
 * and when libvirt still refuses it, {@link LibvirtConnection#open} says only which file.
 */
public record LibvirtUri(String value, Path testFile) {
    public static final List<String> SCHEMES = List.of("qemu", "qemu+ssh", "qemu+libssh", "qemu+libssh2", "qemu+tls", "qemu+tcp",
            "qemu+unix", "test");
    /** What a test-driver file starts with: an optional BOM, XML declaration and comments, then {@code <node}. */
    private static final Pattern NODE_FILE = Pattern.compile("\\A\\uFEFF?\\s*(<\\?xml[^>]*\\?>\\s*)?(<!--.*?-->\\s*)*<node[\\s>/].*",
            Pattern.DOTALL);
    private static final int SNIFF = 4096;

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
        return new LibvirtUri(s, file);
    }

    /**
     * A regular file under the input limit whose first bytes open a {@code <node>}: only those bytes are read, since
     * every connection to the demo host passes here. Nothing of the content is ever repeated.
     */
    private static void checkTestFile(Path file) {
        try {
            InputFile.requireReadable(file, "test driver file");
            byte[] head;
            try (InputStream in = Files.newInputStream(file)) {
                head = in.readNBytes(SNIFF);
            }
            if (!NODE_FILE.matcher(new String(head, StandardCharsets.UTF_8)).matches()) {
                throw new InputRejected("not a host description");
            }
        } catch (InputRejected | IOException e) {
            throw new IllegalArgumentException("cannot read the test driver file " + file + " (a libvirt test-driver host description, <node>, is expected)");
        }
    }

    /**
     * Whether the URI reaches this machine's libvirt (test:///..., qemu:///..., qemu+unix:///...): the one whose
     * schema files lie here. A URI with a host part may reach another libvirt version.
     */
    public static boolean isLocal(String uri) {
        try {
            URI u = new URI(uri.strip());
            String scheme = u.getScheme();
            return u.getHost() == null && ("test".equals(scheme) || "qemu".equals(scheme) || "qemu+unix".equals(scheme));
        } catch (URISyntaxException | NullPointerException e) {
            return false;
        }
    }

    @Override
    public String toString() {
        return value;
    }

    /** libvirt's test driver (test:///default, test:///FILE: the demo host): nothing it defines ever runs. */
    public boolean testDriver() {
        return value.startsWith("test:");
    }

    /** A URI naming a host (qemu+ssh://gpu1/system): reached over the network, so it may not answer at all. */
    public boolean remote() {
        try {
            String h = new URI(value).getHost();
            return h != null && !h.isBlank();
        } catch (URISyntaxException e) {
            return false;
        }
    }
}
