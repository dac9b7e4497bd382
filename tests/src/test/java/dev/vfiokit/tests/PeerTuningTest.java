package dev.vfiokit.tests;

import dev.vfiokit.iommucheck.fixture.FixtureHosts;
import dev.vfiokit.iommucheck.host.HostRoot;
import dev.vfiokit.iommucheck.host.HostSnapshot;
import dev.vfiokit.iommucheck.host.HostSnapshotReader;
import dev.vfiokit.tuning.RuleCatalogue;
import dev.vfiokit.tuning.Tuner;
import dev.vfiokit.tuning.TuningResult;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * virt-install's default guests (Linux and Windows, each with a multifunction GPU) tuned under every profile
 * on the demo host: the result passes libvirt's schema, tuning it again changes nothing, and what the profile
 * strips is gone. virt-install needs libvirtd (qemu:///system), hence the tag.
 */
@Tag("libvirtd")
class PeerTuningTest {
    @TempDir
    static Path dir;

    static HostSnapshot demo;
    static String linux;
    static String windows;

    @BeforeAll
    static void peers() throws Exception {
        FixtureHosts.epycServer().writeTo(dir.resolve("demo"));
        demo = new HostSnapshotReader(new HostRoot(dir.resolve("demo"))).read("demo");
        linux = Peers.virtInstall("peer-linux", "debian11", 8, 8192, "0x0", "0x1");
        windows = Peers.virtInstall("peer-win", "win10", 8, 8192, "0x0", "0x1");
    }

    static Stream<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        for (String profile : List.of("compute-headless", "gpu-desktop", "nfv", "balanced")) {
            out.add(Arguments.of("linux", profile));
            out.add(Arguments.of("windows", profile));
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0} guest under {1}")
    @MethodSource("cases")
    void tunedPeerXmlIsSchemaValidIdempotentAndStripped(String os, String profile) throws Exception {
        String input = os.equals("linux") ? linux : windows;
        assertThat(input).contains("<input type=\"tablet\" bus=\"usb\"/>", "<sound", "<graphics type=\"spice\"");
        Tuner tuner = new Tuner(RuleCatalogue.builtin());
        TuningResult r = tuner.tune(input, profile, demo);
        assertThat(VirtXmlValidate.problems(r.tunedXml(), "domain")).as(os + "/" + profile).isNull();
        assertThat(tuner.tune(r.tunedXml(), profile, demo).diff()).as("tuning again changes nothing").isEmpty();
        String x = r.tunedXml();
        assertThat(x).doesNotContain("<sound");
        boolean headless = profile.equals("compute-headless") || profile.equals("nfv");
        assertThat(x.contains("type=\"tablet\"")).as("the tablet stays while a graphical console does").isEqualTo(!headless);
        assertThat(x).contains("<memballoon model=\"none\"", "<cpu mode=\"host-passthrough\" check=\"none\" migratable=\"off\">",
                "<cache mode=\"passthrough\"/>", "<topology cores=\"4\" dies=\"1\" sockets=\"1\" threads=\"2\"/>");
        if (profile.equals("compute-headless") || profile.equals("nfv")) {
            assertThat(x).doesNotContain("<graphics", "<video", "spicevmc", "<redirdev", "qemu-xhci");
            assertThat(x).contains("<controller model=\"none\" type=\"usb\"/>", "<console type=\"pty\"", "<serial type=\"pty\"");
        }
        if (!profile.equals("balanced")) {
            // pinned on node 1, where the GPU 41:00.0 is, with 2M pages (node 1 has no free 1G pages)
            assertThat(x).contains("<memory mode=\"strict\" nodeset=\"1\"/>", "<emulatorpin cpuset=\"16,48\"/>",
                    "<page size=\"2048\" unit=\"KiB\"/>");
        }
        if (profile.equals("nfv")) {
            assertThat(x).contains("<pmu state=\"off\"/>");
        }
        assertThat(x).as("KVM is hidden only when asked (tune --hide-kvm)").doesNotContain("<hidden state=");
        if (os.equals("windows")) {
            assertThat(x).contains("<synic state=\"on\"/>", "<timer name=\"hypervclock\" present=\"yes\"/>");
        }
    }
}
