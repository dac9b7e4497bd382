package dev.vfiokit.iommucheck;

import dev.vfiokit.iommucheck.check.GroupAnalyzer;
import dev.vfiokit.iommucheck.check.GroupReport;
import dev.vfiokit.iommucheck.check.PreflightCheck;
import dev.vfiokit.iommucheck.fixture.FixtureHosts;
import dev.vfiokit.iommucheck.fixture.HostTree;
import dev.vfiokit.iommucheck.host.FactSource;
import dev.vfiokit.iommucheck.host.HostRoot;
import dev.vfiokit.iommucheck.host.HostSnapshot;
import dev.vfiokit.iommucheck.host.HostSnapshotReader;
import dev.vfiokit.iommucheck.host.PciDevice;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@code groups} reads a host only as far as groups are judged: the same verdicts as the whole read, nothing else. */
class GroupsOnlyReadTest {
    @TempDir
    Path dir;

    private static final Map<String, HostTree> HOSTS = Map.of("demo", FixtureHosts.demo(), "epyc", FixtureHosts.epycServer(),
            "held", FixtureHosts.gpuHeldByHost(), "consumer", FixtureHosts.consumerBoard(), "hgx", FixtureHosts.hgxH100(false),
            "sriov", FixtureHosts.sriovVgpuServer(true), "grace", FixtureHosts.graceHopper(), "iommu-off", FixtureHosts.iommuOffInKernel("6.8.0-45-generic"));

    @Test
    void everyFixtureHostsGroupsAreJudgedAlikeFromTheGroupsOnlyRead() {
        for (Map.Entry<String, HostTree> e : HOSTS.entrySet()) {
            Path root = dir.resolve(e.getKey());
            e.getValue().writeTo(root);
            HostSnapshotReader reader = new HostSnapshotReader(new HostRoot(root));
            HostSnapshot whole = reader.read("x");
            HostSnapshot groups = reader.readGroups("x");
            assertThat(groups.facts()).isEqualTo(FactSource.SYSFS_GROUPS);
            assertThat(groups.groups()).as(e.getKey()).isEqualTo(whole.groups());
            assertThat(verdicts(groups)).as(e.getKey()).isEqualTo(verdicts(whole));
            assertThat(groups.devices().stream().map(GroupsOnlyReadTest::groupFacts).toList()).as(e.getKey())
                    .isEqualTo(whole.devices().stream().map(GroupsOnlyReadTest::groupFacts).toList());
        }
    }

    @Test
    void theGroupsOnlyReadStillSeesWhatTheHostNeeds() {
        FixtureHosts.demo().writeTo(dir);
        HostSnapshot groups = new HostSnapshotReader(new HostRoot(dir)).readGroups("demo");
        List<String> needed = new GroupAnalyzer(groups).all().stream().flatMap(g -> g.hostNeeded().stream())
                .map(n -> n.address() + " " + n.why()).toList();
        assertThat(needed).anyMatch(n -> n.contains("carries the default route")).anyMatch(n -> n.contains("storage controller"));
    }

    @Test
    void aGroupsOnlySnapshotIsRefusedByThePreflightCheck() {
        FixtureHosts.demo().writeTo(dir);
        HostSnapshot groups = new HostSnapshotReader(new HostRoot(dir)).readGroups("demo");
        assertThatThrownBy(() -> new PreflightCheck().run(groups, List.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("read for IOMMU groups only");
    }

    private static List<Object> verdicts(HostSnapshot h) {
        return new GroupAnalyzer(h).all().stream().map(g -> (Object) List.of(g.id(), g.viable(), g.isolated(),
                g.members().stream().map(PciDevice::address).toList(), g.blockers().stream().map(PciDevice::address).toList(),
                g.hostNeeded())).toList();
    }

    private static List<Object> groupFacts(PciDevice d) {
        return List.of(d.address(), d.ids(), d.classCode(), String.valueOf(d.driver()), String.valueOf(d.iommuGroup()), d.netdevs());
    }
}
