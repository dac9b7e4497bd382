package dev.vfiokit.shell;

import dev.vfiokit.iommucheck.fixture.DemoHost;
import dev.vfiokit.iommucheck.host.HostRoot;
import dev.vfiokit.iommucheck.host.HostSnapshot;
import dev.vfiokit.iommucheck.host.HostSnapshotReader;
import dev.vfiokit.libvirt.LibvirtConnection;
import dev.vfiokit.libvirt.NodeDeviceHost;
import dev.vfiokit.vfio.HostTarget;
import org.springframework.stereotype.Component;

import java.nio.file.Files;

/**
 * Which host a command reads: {@code --host local} (default), {@code --host demo}, {@code --root PATH}, or a
 * host seen through libvirt alone ({@code --connect URI}: its node devices and capabilities). The options are
 * parsed once into a {@link HostTarget}, which also says what may be done there.
 */
@Component
public class HostSelection {
    private final LibvirtTargets libvirt;

    public HostSelection(LibvirtTargets libvirt) {
        this.libvirt = libvirt;
    }

    /** How much of a host's sysfs a command reads: all of it, or what IOMMU groups are judged by ({@code groups}). */
    public enum Extent { WHOLE, GROUPS }

    public Selected select(String host, String rootPath, String connect) {
        return select(host, rootPath, connect, null);
    }

    /** @param within how long a remote libvirt may take to answer (null: VFIOKIT_CONNECT_TIMEOUT or 30 s) */
    public Selected select(String host, String rootPath, String connect, java.time.Duration within) {
        return select(host, rootPath, connect, within, Extent.WHOLE);
    }

    /** {@code extent} applies to a host read through its sysfs; libvirt's node devices are read whole either way. */
    public Selected select(String host, String rootPath, String connect, java.time.Duration within, Extent extent) {
        HostTarget t = HostTarget.parse(host, rootPath, connect, DemoHost::root);
        if (t.kind() == HostTarget.Kind.LIBVIRT) {
            try (LibvirtConnection c = within == null ? libvirt.open(host, connect, true)
                    : LibvirtConnection.open(libvirt.uri(host, connect), true, within)) {
                return new Selected(t, NodeDeviceHost.read(c));
            }
        }
        return read(t, extent);
    }

    /** A host: its target (its root is null when seen through libvirt) and its snapshot. */
    public record Selected(HostTarget target, HostSnapshot snapshot) {
        public HostRoot root() {
            return target.root();
        }

        public dev.vfiokit.iommucheck.host.PciIdNames names(java.util.Collection<dev.vfiokit.iommucheck.host.PciDevice> devices) {
            return dev.vfiokit.iommucheck.host.PciIdNames.load(root() == null ? HostRoot.local() : root(), devices);
        }
    }

    public Selected select(String host, String rootPath) {
        return read(HostTarget.parse(host, rootPath, null, DemoHost::root), Extent.WHOLE);
    }

    private static Selected read(HostTarget t, Extent extent) {
        if (t.kind() == HostTarget.Kind.TREE && !Files.isDirectory(t.root().root().resolve("sys"))) {
            throw new CommandFailure(ExitStatus.DATA, "--root " + t.root() + " has no sys/ directory: not a host tree");
        }
        String label = switch (t.kind()) {
            case LOCAL -> "local";
            case DEMO -> "demo";
            default -> t.root().toString();
        };
        HostSnapshotReader reader = new HostSnapshotReader(t.root());
        return new Selected(t, extent == Extent.GROUPS ? reader.readGroups(label) : reader.read(label));
    }
}
