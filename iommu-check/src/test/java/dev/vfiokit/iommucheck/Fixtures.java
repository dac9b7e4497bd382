package dev.vfiokit.iommucheck;

import dev.vfiokit.iommucheck.fixture.HostTree;
import dev.vfiokit.iommucheck.host.HostRoot;
import dev.vfiokit.iommucheck.host.HostSnapshot;
import dev.vfiokit.iommucheck.host.HostSnapshotReader;

import java.nio.file.Path;

/** Writes a fixture tree into a test's temp dir and reads it back as a snapshot. */
final class Fixtures {
    private Fixtures() {
    }

    static HostSnapshot read(HostTree tree, Path dir) {
        tree.writeTo(dir);
        return new HostSnapshotReader(new HostRoot(dir)).read(dir.toString());
    }
}
