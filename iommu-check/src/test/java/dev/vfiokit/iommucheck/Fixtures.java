package dev.vfiokit.iommucheck;

import dev.vfiokit.iommucheck.fixture.HostTree;
import dev.vfiokit.iommucheck.host.HostRoot;
import dev.vfiokit.iommucheck.host.HostSnapshot;
import dev.vfiokit.iommucheck.host.HostSnapshotReader;

import dev.vfiokit.iommucheck.check.Finding;
import dev.vfiokit.iommucheck.check.PreflightCheck;
import dev.vfiokit.iommucheck.check.Report;
import dev.vfiokit.iommucheck.host.PciAddress;

import java.nio.file.Path;
import java.util.List;

/** Writes a fixture tree into a test's temp dir and reads it back as a snapshot. */
final class Fixtures {
    private Fixtures() {
    }

    static HostSnapshot read(HostTree tree, Path dir) {
        tree.writeTo(dir);
        return new HostSnapshotReader(new HostRoot(dir)).read(dir.toString());
    }

    /** The whole pre-flight check of a fixture host, for the devices named (none: its default targets). */
    static Report check(HostTree tree, Path dir, String... devices) {
        HostSnapshot host = read(tree, dir);
        List<PciAddress> addrs = java.util.Arrays.stream(devices).map(PciAddress::parse).toList();
        return new PreflightCheck().run(host, PreflightCheck.targets(host, addrs));
    }

    static Finding finding(Report r, String id, String subject) {
        return r.findings().stream().filter(f -> f.id().equals(id) && f.subject().equals(subject)).findFirst()
                .orElseThrow(() -> new AssertionError("no finding " + id + " for " + subject + " in " + r.findings()));
    }
}
