package dev.vfiokit.shell;

import dev.vfiokit.iommucheck.fixture.DemoHost;
import dev.vfiokit.iommucheck.host.HostRoot;
import dev.vfiokit.iommucheck.host.HostSnapshot;
import dev.vfiokit.iommucheck.host.HostSnapshotReader;
import org.springframework.stereotype.Component;

import java.nio.file.Files;
import java.nio.file.Path;

/** Which host a command reads: {@code --host local} (default), {@code --host demo}, or {@code --root PATH}. */
@Component
public class HostSelection {

    public record Selected(HostRoot root, HostSnapshot snapshot) {
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
