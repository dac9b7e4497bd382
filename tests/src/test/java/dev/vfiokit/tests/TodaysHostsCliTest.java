package dev.vfiokit.tests;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vfiokit.iommucheck.fixture.FixtureHosts;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Today's kernels through the command line, on the iommufd fixture (kernel 6.14 with iommufd and the VFIO cdev, a
 * ConnectX-7 VF with mlx5_vfio_pci, an RTX 5090): check's backend and driver findings, bind's variant plan and
 * --driver, generate gated by --libvirt, and check --xml / --domain; the tree is never changed.
 */
class TodaysHostsCliTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;

    private static Map<String, String> env;
    private static String root;

    @BeforeAll
    static void tree() {
        env = Map.of("XDG_CACHE_HOME", dir.resolve("cache").toString(), "XDG_STATE_HOME", dir.resolve("state").toString(),
                "VFIOKIT_STATE_DIR", dir.resolve("vfiokit-state").toString());
        FixtureHosts.iommufdHost().writeTo(dir.resolve("host"));
        root = dir.resolve("host").toString();
    }

    private static List<String> ids(JsonNode report) {
        List<String> out = new ArrayList<>();
        report.get("findings").forEach(f -> out.add(f.get("id").asText() + "@" + f.get("subject").asText() + "=" + f.get("severity").asText()));
        return out;
    }

    @Test
    void checkNamesTheBackendsAndTheDriverEachDeviceGets() throws Exception {
        Cli.Result r = Cli.run(env, "check", "--root", root, "--device", "03:00.2,01:00.0", "--json");
        JsonNode report = JSON.readTree(r.out());
        assertThat(ids(report)).contains("vfio.backend@host=PASS", "device.vfio-driver@0000:03:00.2=PASS",
                "device.reset-trap@0000:01:00.0=WARN", "device.power@0000:01:00.0=WARN");
        assertThat(r.out()).contains("gets mlx5_vfio_pci, a VFIO variant driver");
    }

    @Test
    void bindPlansTheVariantDriverAndRefusesOneTheKernelDoesNotListForTheDevice() throws Exception {
        Cli.Result plan = Cli.run(env, "bind", "--root", root, "--device", "0000:03:00.2", "--dry-run");
        assertThat(plan.exitCode()).as(plan.err()).isZero();
        assertThat(plan.out()).contains("modprobe mlx5_vfio_pci", "mlx5_vfio_pci > /sys/bus/pci/devices/0000:03:00.2/driver_override")
                .contains("goes to the VFIO variant driver mlx5_vfio_pci");
        Cli.Result generic = Cli.run(env, "bind", "--root", root, "--device", "0000:03:00.2", "--driver", "vfio-pci", "--dry-run");
        assertThat(generic.out()).contains("vfio-pci > /sys/bus/pci/devices/0000:03:00.2/driver_override").doesNotContain("mlx5_vfio_pci");
        Cli.Result wrong = Cli.run(env, "bind", "--root", root, "--device", "0000:01:00.0", "--driver", "mlx5_vfio_pci", "--dry-run");
        assertThat(wrong.exitCode()).isEqualTo(64);
        assertThat(wrong.err().strip()).startsWith("vfiokit: --driver mlx5_vfio_pci is no VFIO variant driver for 0000:01:00.0").doesNotContain("\n");
    }

    @Test
    void generateEmitsTheModelAndIommufdOnlyForALibvirtThatHasThem() throws Exception {
        Cli.Result now = Cli.run(env, "domain", "generate", "--root", root, "--template", "gpu-compute", "--name", "g1",
                "--gpu", "0000:03:00.2", "--libvirt", "12.1.0");
        assertThat(now.exitCode()).as(now.err()).isZero();
        assertThat(now.out()).contains("<driver name=\"vfio\" model=\"mlx5_vfio_pci\" iommufd=\"yes\"/>");
        Cli.Result old = Cli.run(env, "domain", "generate", "--root", root, "--template", "gpu-compute", "--name", "g1",
                "--gpu", "0000:03:00.2", "--libvirt", "9.0.0");
        assertThat(old.out()).contains("<driver name=\"vfio\"/>").doesNotContain("iommufd=").contains("binds vfio-pci itself");
        Cli.Result bad = Cli.run(env, "domain", "generate", "--root", root, "--template", "gpu-compute", "--name", "g1",
                "--gpu", "0000:03:00.2", "--libvirt", "twelve");
        assertThat(bad.exitCode()).isEqualTo(64);
        assertThat(bad.err().strip()).isEqualTo("vfiokit: a libvirt version is N.N.N, got 'twelve'");
    }

    @Test
    void checkXmlJudgesADomainsLockedMemoryAndMigrationAgainstTheHost() throws Exception {
        Cli.Result g = Cli.run(env, "domain", "generate", "--root", root, "--template", "gpu-compute", "--name", "big",
                "--gpu", "0000:01:00.0", "--memory", "16GiB", "--libvirt", "12.1.0", "-o", dir.resolve("big.xml").toString());
        assertThat(g.exitCode()).as(g.err()).isZero();
        // the generator fitted a hard_limit; without it the RTX 5090's BARs through iommufd would not be locked
        String tooTight = Files.readString(dir.resolve("big.xml")).replaceAll("(?s)<memtune>.*?</memtune>", "");
        Files.writeString(dir.resolve("tight.xml"), tooTight);
        Cli.Result fitted = Cli.run(env, "check", "--root", root, "--xml", dir.resolve("big.xml").toString(), "--json");
        assertThat(ids(JSON.readTree(fitted.out()))).contains("domain.memlock@big=PASS", "domain.migration@big=FAIL");
        Cli.Result tight = Cli.run(env, "check", "--root", root, "--xml", dir.resolve("tight.xml").toString());
        assertThat(tight.exitCode()).isEqualTo(2);
        assertThat(tight.out()).contains("domain.memlock", "hard_limit unit='KiB'>51380224");
        Cli.Result both = Cli.run(env, "check", "--root", root, "--xml", dir.resolve("big.xml").toString(), "--device", "01:00.0");
        assertThat(both.exitCode()).isEqualTo(64);
    }

    @Test
    void checkDomainReadsADefinedDomainAndItsVersionsFromLibvirt() throws Exception {
        Cli.Result g = Cli.run(env, "domain", "generate", "--host", "demo", "--template", "gpu-compute", "--name", "mig-1",
                "--gpu", "0000:41:00.0", "--define");
        assertThat(g.exitCode()).as(g.err()).isZero();
        Cli.Result r = Cli.run(env, "check", "--host", "demo", "--domain", "mig-1", "--json");
        JsonNode report = JSON.readTree(r.out());
        assertThat(ids(report)).containsExactly("domain.memlock@mig-1=PASS", "domain.migration@mig-1=FAIL");
        assertThat(r.out()).contains("0000:41:00.0, 0000:41:00.1 go to vfio-pci, which has no VFIO migration support", "libvirt 9.0.0");
        Cli.Result none = Cli.run(env, "check", "--host", "demo", "--domain", "no-such-vm");
        assertThat(none.exitCode()).isNotZero();
        assertThat(none.err().strip()).startsWith("vfiokit: no domain 'no-such-vm'").doesNotContain("\n");
    }
}
