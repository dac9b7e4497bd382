package dev.vfiokit.tests;

import dev.vfiokit.iommucheck.fixture.FixtureHosts;
import dev.vfiokit.iommucheck.host.HostRoot;
import dev.vfiokit.iommucheck.host.HostSnapshot;
import dev.vfiokit.iommucheck.host.HostSnapshotReader;
import dev.vfiokit.iommucheck.host.PciAddress;
import dev.vfiokit.vfio.BindPlanner;
import dev.vfiokit.vfio.BindRequest;
import dev.vfiokit.vfio.Operation;
import dev.vfiokit.vfio.Step;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The boot-time binding files are read as their tools read them: modprobe(8) itself parses the modprobe.d
 * file, and vfiokit's own check (which reads driverctl's directory as driverctl does) sees both.
 */
class PersistenceFilesTest {
    @TempDir
    Path dir;

    @Test
    void modprobeReadsTheIdBindingAndCheckSeesBothKinds() throws Exception {
        FixtureHosts.epycServer().writeTo(dir);
        HostRoot root = new HostRoot(dir);
        HostSnapshot h = new HostSnapshotReader(root).read("epyc");
        Operation byId = new BindPlanner(h, dev.vfiokit.vfio.HostTarget.tree(dir)).bind(new BindRequest(List.of(PciAddress.parse("61:00.0")), true, false, true,
                true, Map.of()));
        for (Step s : byId.steps()) {
            if (s.isConfigFile()) {
                Path f = dir.resolve(s.file().substring(1));
                Files.createDirectories(f.getParent());
                Files.writeString(f, s.value());
            }
        }
        Path conf = dir.resolve("etc/modprobe.d/vfiokit-vfio.conf");
        Process p = new ProcessBuilder("modprobe", "-C", conf.toString(), "-c").redirectErrorStream(true).start();
        String parsed = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(parsed).contains("options vfio_pci ids=10de:1aef,10de:2230", "softdep nvidia pre: vfio-pci",
                "softdep snd_hda_intel pre: vfio-pci");
        assertThat(Files.readString(dir.resolve("etc/driverctl.d/pci-0000:61:00.1"))).isEqualTo("vfio-pci\n");
        HostSnapshot after = new HostSnapshotReader(root).read("epyc");
        assertThat(after.earlyBinding().driverctlOverrides()).containsEntry(PciAddress.parse("61:00.0"), "vfio-pci")
                .containsEntry(PciAddress.parse("61:00.1"), "vfio-pci");
        assertThat(after.earlyBinding().vfioIds()).contains("10de:2230", "10de:1aef");
        assertThat(after.earlyBinding().softdepsBeforeVfio()).contains("nvidia", "nouveau", "snd_hda_intel");
    }
}
