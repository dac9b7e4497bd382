package dev.vfiokit.shell;

import dev.vfiokit.iommucheck.fixture.DemoHost;
import dev.vfiokit.iommucheck.host.HostRoot;
import dev.vfiokit.iommucheck.host.HostSnapshotReader;
import dev.vfiokit.libvirt.LibvirtConnection;
import dev.vfiokit.libvirt.TestDriverHostFile;
import org.springframework.stereotype.Component;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Which libvirt a command talks to: {@code --connect URI}, the demo host ({@code --host demo}: libvirt's
 * test driver over the demo's node devices), or the session's current connection ({@code connect URI}),
 * else {@code qemu:///system}. The demo's domains are written back to its host file after every change,
 * so one-shot commands see each other's work.
 */
@Component
public class LibvirtTargets {
    public static final String DEFAULT_URI = "qemu:///system";
    private volatile String current;

    public void setCurrent(String uri) {
        this.current = uri;
    }

    public String current() {
        return current == null ? DEFAULT_URI : current;
    }

    public boolean isDemo(String host) {
        return "demo".equals(host);
    }

    public String uri(String host, String connect) {
        if (connect != null && !connect.isBlank()) {
            if (host != null && !host.isBlank() && !host.equals("local")) {
                throw new IllegalArgumentException("give --host or --connect, not both");
            }
            return connect;
        }
        if (isDemo(host)) {
            return "test://" + demoFile();
        }
        if (host != null && !host.isBlank() && !host.equals("local")) {
            throw new IllegalArgumentException("unknown host '" + host + "' (expected local or demo, or --connect URI)");
        }
        return current();
    }

    public LibvirtConnection open(String host, String connect, boolean readOnly) {
        return LibvirtConnection.open(uri(host, connect), readOnly);
    }

    /**
     * What {@code read} takes from the host's libvirt (the domains there, say), or {@code none} when only a tree was
     * named, or with a note when libvirt cannot be reached: commands that only report go on without it.
     */
    public <T> T readIfReachable(String host, String root, java.util.List<String> notes,
                                 java.util.function.Function<LibvirtConnection, T> read, T none) {
        return readIfReachable(host, root, null, notes, read, none);
    }

    /** As above, on the libvirt host {@code connect} names when given. */
    public <T> T readIfReachable(String host, String root, String connect, java.util.List<String> notes,
                                 java.util.function.Function<LibvirtConnection, T> read, T none) {
        if (root != null) {
            return none;
        }
        try (LibvirtConnection c = open(host, connect, true)) {
            return read.apply(c);
        } catch (dev.vfiokit.libvirt.LibvirtFailure e) {
            notes.add("domains not checked: " + e.getMessage());
            return none;
        }
    }

    /** After a change on the demo host, keep its domains for the next process. */
    public void persistIfDemo(String host, String connect, LibvirtConnection conn) {
        if (isDemo(host) && (connect == null || connect.isBlank())) {
            TestDriverHostFile.write(new HostSnapshotReader(new HostRoot(DemoHost.root())).read("demo"),
                    conn.persistedDomains(), demoFile());
        }
    }

    private static Path demoFile() {
        Path root = DemoHost.root();
        Path file = root.resolve("libvirt-test-host.xml");
        if (!Files.exists(file)) {
            TestDriverHostFile.write(new HostSnapshotReader(new HostRoot(root)).read("demo"), file);
        }
        return file.toAbsolutePath();
    }
}
