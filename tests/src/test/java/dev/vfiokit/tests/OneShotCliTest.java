package dev.vfiokit.tests;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vfiokit.iommucheck.fixture.FixtureHosts;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** vfiokit as scripts meet it: one command, stdout, one error line on stderr, the documented exit code. */
class OneShotCliTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path cache;

    private static Map<String, String> env;

    @BeforeAll
    static void isolateTheDemoCache() {
        env = Map.of("XDG_CACHE_HOME", cache.toString());
    }

    @Test
    void checkOnTheDemoHostPrintsTheTableWithFixesAndExitsOneForWarnings() throws Exception {
        Cli.Result r = Cli.run(env, "check", "--host", "demo");
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err()).isEmpty();
        assertThat(r.out()).contains("SEVERITY", "iommu.kernel", "0000:61:00.0", "fix: ", "(exit 1)")
                .doesNotContain("\u001b["); // not a terminal: no colours
    }

    @Test
    void checkJsonHasTheDocumentedShape() throws Exception {
        Cli.Result r = Cli.run(env, "check", "--host", "demo", "--json", "--device", "0000:61:00.0,0000:21:00.0");
        assertThat(r.exitCode()).isEqualTo(1);
        JsonNode j = JSON.readTree(r.out());
        assertThat(j.get("host").asText()).isEqualTo("demo");
        assertThat(j.get("targets")).hasSize(2);
        assertThat(j.get("exitCode").asInt()).isEqualTo(1);
        assertThat(j.get("summary").get("warn").asInt()).isPositive();
        JsonNode f = j.get("findings").get(0);
        assertThat(f.fieldNames()).toIterable().containsExactly("id", "severity", "subject", "message", "hint", "evidence");
        assertThat(j.get("findings").findValuesAsText("id")).contains("device.link", "group.isolation", "sriov.pf");
    }

    @Test
    void checkOfAFixtureTreeThatFailsExitsTwo() throws Exception {
        Path root = cache.resolve("consumer");
        FixtureHosts.consumerBoard().writeTo(root);
        Cli.Result r = Cli.run(env, "check", "--root", root.toString(), "--json");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(JSON.readTree(r.out()).get("summary").get("fail").asInt()).isPositive();
    }

    @Test
    void groupsOnAHostWithoutAnIommuPointsAtTheCheckOfThatSameHost() throws Exception {
        Path root = cache.resolve("iommu off");
        FixtureHosts.iommuOffInKernel("6.8.0-45-generic").writeTo(root);
        Cli.Result g = Cli.run(env, "groups", "--root", root.toString());
        assertThat(g.exitCode()).isZero();
        assertThat(g.out()).contains("the IOMMU is off (see: vfiokit check --root '" + root + "')");
        // the hint as printed, run: the check of the same tree, which names the kernel's missing IOMMU
        Cli.Result c = Cli.run(env, "check", "--root", root.toString());
        assertThat(c.exitCode()).isEqualTo(2);
        assertThat(c.out()).contains("iommu.kernel", "the kernel runs without an IOMMU");
    }

    @Test
    void devicesAndGroupsJsonDescribeTheDemoHost() throws Exception {
        Cli.Result d = Cli.run(env, "devices", "--host", "demo", "--class", "gpu", "--json");
        assertThat(d.exitCode()).isZero();
        JsonNode devices = JSON.readTree(d.out()).get("devices");
        // four A6000s, the T4, the BMC display, and the L40S with its four vGPU VFs
        assertThat(devices).hasSize(11);
        assertThat(devices.findValuesAsText("address")).contains("0000:e1:00.0", "0000:e1:00.6");
        assertThat(devices.get(10).get("vendorVgpu").get("creatable").get(0).get("id").asInt()).isEqualTo(1177);
        assertThat(devices.get(0).get("name").asText()).isEqualTo("NVIDIA Corporation GA102GL [RTX A6000]");
        assertThat(devices.get(0).get("iommuGroup").asInt()).isPositive();
        Cli.Result g = Cli.run(env, "groups", "--host", "demo", "--json");
        assertThat(g.exitCode()).isZero();
        JsonNode groups = JSON.readTree(g.out()).get("groups");
        assertThat(groups.findValuesAsText("viable")).contains("true", "false");
        assertThat(groups.get(0).fieldNames()).toIterable()
                .containsExactly("id", "viable", "isolated", "members", "blockers", "hostNeeded");
    }

    @Test
    void badInputGivesOneLineOnStderrAndExit64WithoutAStackTrace() throws Exception {
        for (String[] args : new String[][] {{"check", "--device", "0000:99:00.0", "--host", "demo"},
                {"check", "--device", "not-an-address", "--host", "demo"}, {"check", "--no-such-option"},
                {"frobnicate"}, {"check", "--host", "mars"}}) {
            Cli.Result r = Cli.run(env, args);
            assertThat(r.exitCode()).as(String.join(" ", args)).isEqualTo(64);
            assertThat(r.out()).isEmpty();
            assertThat(r.err().strip().lines()).as(String.join(" ", args)).hasSize(1);
            assertThat(r.err()).startsWith("vfiokit: ").doesNotContain("Exception").doesNotContain("\tat ");
        }
    }

    @Test
    void scriptFilesRunInOneProcessStopAtTheFirstFailureWithItsLineAndNeverEndSilently() throws Exception {
        Path script = cache.resolve("ops.vk");
        java.nio.file.Files.writeString(script, """
                # a comment, then a blank line

                template list --json
                // Spring Shell ends a script here silently; vfiokit reports it
                devices --host demo --class gpu
                """);
        Cli.Result r = Cli.run(env, "--script", script.toString());
        assertThat(r.exitCode()).isEqualTo(64);
        assertThat(r.out()).contains("gpu-compute").doesNotContain("RTX A6000");
        assertThat(r.err()).contains("unknown command '// Spring Shell ends", script + ":4: '// Spring Shell ends a script here silently");
        Cli.Result goOn = Cli.run(env, "@" + script, "--continue-on-error");
        assertThat(goOn.exitCode()).isEqualTo(64);
        assertThat(goOn.out()).contains("gpu-compute", "RTX A6000");
        java.nio.file.Files.writeString(script, "check --host demo --device 0000:61:00.0 --json\ngroups --host demo --json\n");
        Cli.Result warn = Cli.run(env, "--script", script.toString());
        assertThat(warn.exitCode()).as("a check that warns stops the script with its code").isEqualTo(1);
        assertThat(warn.err()).contains(":1: 'check --host demo --device 0000:61:00.0 --json' exited 1");
    }

    @Test
    void bindThroughLibvirtTakesTheWholeGroupOrRefuses() throws Exception {
        Cli.Result alone = Cli.run(env, "bind", "--via-libvirt", "--host", "demo", "--device", "0000:61:00.0", "--dry-run");
        assertThat(alone.exitCode()).isEqualTo(65);
        assertThat(alone.err()).contains("IOMMU group 17 of 0000:61:00.0 is not viable alone: 0000:61:00.1 must come along");
        Cli.Result group = Cli.run(env, "bind", "--via-libvirt", "--host", "demo", "--device", "0000:61:00.0", "--group", "--dry-run");
        assertThat(group.exitCode()).as(group.err()).isZero();
        assertThat(group.out()).contains("virNodeDeviceDetachFlags(pci_0000_61_00_0, \"vfio\")",
                "virNodeDeviceDetachFlags(pci_0000_61_00_1, \"vfio\")");
    }

    @Test
    void checkOnThisMachineRunsAndExitsWithAReportCode() throws Exception {
        Cli.Result r = Cli.run(env, "check", "--json");
        assertThat(r.exitCode()).isBetween(0, 2);
        JsonNode j = JSON.readTree(r.out());
        assertThat(j.get("host").asText()).isEqualTo("local");
        assertThat(j.get("findings").findValuesAsText("id")).contains("cpu.virtualization", "iommu.kernel");
    }
}
