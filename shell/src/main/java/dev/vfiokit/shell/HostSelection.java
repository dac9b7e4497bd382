package dev.vfiokit.shell;

import dev.vfiokit.iommucheck.fixture.DemoHost;
import dev.vfiokit.iommucheck.host.HostRoot;
import dev.vfiokit.iommucheck.host.HostSnapshot;
import dev.vfiokit.iommucheck.host.HostSnapshotReader;
import dev.vfiokit.libvirt.LibvirtConnection;
import dev.vfiokit.libvirt.NodeDeviceHost;
import org.springframework.stereotype.Component;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Which host a command reads: {@code --host local} (default), {@code --host demo}, {@code --root PATH}, or a
 * host seen through libvirt alone ({@code --connect URI}: its node devices and capabilities).
 */
@Component
public class HostSelection {
    private final LibvirtTargets libvirt;

    public HostSelection(LibvirtTargets libvirt) {
        this.libvirt = libvirt;
    }

    public Selected select(String host, String rootPath, String connect) {
        if (connect != null && !connect.isBlank()) {
            if (rootPath != null && !rootPath.isBlank()) {
                throw new IllegalArgumentException("give --root or --connect, not both");
            }
            try (LibvirtConnection c = libvirt.open(host, connect, true)) {
                return new Selected(null, NodeDeviceHost.read(c));
            }
        }
        return select(host, rootPath);
    }

    /** A host: its root (null when seen through libvirt) and its snapshot. */
    public record Selected(HostRoot root, HostSnapshot snapshot) {
        public dev.vfiokit.iommucheck.host.PciIdNames names(java.util.Collection<dev.vfiokit.iommucheck.host.PciDevice> devices) {
            return dev.vfiokit.iommucheck.host.PciIdNames.load(root == null ? HostRoot.local() : root, devices);
        }
    }

    public Selected select(String host, String rootPath) {
        if (rootPath != null && !rootPath.isBlank()) {
            if (host != null && !host.isBlank() && !host.equals("local")) {
                throw new IllegalArgumentException("give --host or --root, not both");
            }
            Path p = Path.of(rootPath);
            if (!Files.isDirectory(p.resolve("sys"))) {
                throw new CommandFailure(ExitStatus.DATA, "--root " + rootPath + " has no sys/ directory: not a host tree");
            }
            return read(new HostRoot(p), rootPath);
        }
        String h = host == null || host.isBlank() ? "local" : host;
        return switch (h) {
            case "local" -> read(HostRoot.local(), "local");
            case "demo" -> read(new HostRoot(DemoHost.root()), "demo");
            default -> throw new IllegalArgumentException("unknown host '" + h + "' (expected local or demo, or --root PATH)");
        };
    }

    private static Selected read(HostRoot root, String label) {
        return new Selected(root, new HostSnapshotReader(root).read(label));
    }
}
