package dev.vfiokit.tests;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vfiokit.iommucheck.fixture.FixtureHosts;
import dev.vfiokit.iommucheck.host.HostSnapshot;
import dev.vfiokit.libvirt.TestDriverHostFile;
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
 * A host seen through libvirt alone: its mdev parents and mdevs come from libvirt's node devices, in libvirt's test
 * driver (the epyc fixture's Tesla T4, five vGPU types, one mdev of nvidia-223, written as libvirt 7.3+ writes them).
 */
class ConnectMdevCliTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;

    private static Map<String, String> env;
    private static String uri;
    private static HostSnapshot epyc;

    @BeforeAll
    static void aLibvirtHostWithAVgpuParent() throws Exception {
        Path tree = dir.resolve("tree");
        FixtureHosts.epycServer().writeTo(tree);
        epyc = new dev.vfiokit.iommucheck.host.HostSnapshotReader(new dev.vfiokit.iommucheck.host.HostRoot(tree)).read("epyc");
        uri = "test://" + TestDriverHostFile.write(epyc, dir.resolve("epyc-node.xml")).toAbsolutePath();
        env = Map.of("XDG_CACHE_HOME", dir.resolve("cache").toString(), "XDG_STATE_HOME", dir.resolve("state").toString(),
                "XDG_CONFIG_HOME", dir.resolve("config").toString());
    }

    private static Cli.Result run(String... args) throws Exception {
        return Cli.run(env, args);
    }

    @Test
    void mdevTypesAndListThroughLibvirtGiveTheParentsTypesAndMdevsTheHostHas() throws Exception {
        Cli.Result types = run("mdev", "types", "--connect", uri, "--json");
        assertThat(types.exitCode()).as(types.err()).isZero();
        JsonNode parents = JSON.readTree(types.out()).get("parents");
        assertThat(parents).hasSize(1);
        assertThat(parents.get(0).get("name").asText()).isEqualTo("0000:a1:00.0");
        List<String> ids = new ArrayList<>();
        parents.get(0).get("types").forEach(t -> ids.add(t.get("id").asText() + "=" + t.get("availableInstances").asInt()));
        assertThat(ids).containsExactlyElementsOf(epyc.mdevParents().get(0).types().stream()
                .map(t -> t.id() + "=" + t.availableInstances()).toList());
        Cli.Result list = run("mdev", "list", "--connect", uri, "--json");
        assertThat(list.exitCode()).as(list.err()).isZero();
        JsonNode m = JSON.readTree(list.out()).get("mdevs");
        assertThat(m).hasSize(1);
        assertThat(m.get(0).get("uuid").asText()).isEqualTo("b8a7d9e2-6c1f-4e0a-9d3b-2f6a1c4e5d70");
        assertThat(m.get(0).get("parent").asText()).isEqualTo("0000:a1:00.0");
        assertThat(m.get(0).get("type").asText()).isEqualTo("nvidia-223");
        assertThat(m.get(0).get("iommuGroup").asInt()).isEqualTo(70);
        Cli.Result devices = run("devices", "--connect", uri);
        assertThat(devices.out()).containsPattern("0000:a1:00\\.0 .*mdev 5 types");
    }

    @Test
    void theCheckReportsTheVgpuParentThroughLibvirtInsteadOfSkippingIt() throws Exception {
        Cli.Result r = run("check", "--connect", uri, "--json");
        JsonNode findings = JSON.readTree(r.out()).get("findings");
        List<String> mdev = new ArrayList<>();
        findings.forEach(f -> {
            if (f.get("id").asText().equals("mdev.parent")) {
                mdev.add(f.get("subject").asText() + " " + f.get("severity").asText() + " " + f.get("message").asText());
            }
        });
        assertThat(mdev).singleElement().asString().startsWith("0000:a1:00.0 PASS mediated-device parent: 5 types");
    }

    @Test
    void aVendorVgpuGpuThroughLibvirtIsSkippedNotPassedWithNoFreeInstances() throws Exception {
        // the demo's L40S (vGPU 17+, types in the VFs' own sysfs files, which libvirt does not list): sysfs says 3 VFs free
        Path tree = dir.resolve("demo-tree");
        FixtureHosts.demo().writeTo(tree);
        HostSnapshot demo = new dev.vfiokit.iommucheck.host.HostSnapshotReader(new dev.vfiokit.iommucheck.host.HostRoot(tree)).read("demo");
        String demoUri = "test://" + TestDriverHostFile.write(demo, dir.resolve("demo-node.xml")).toAbsolutePath();
        JsonNode findings = JSON.readTree(run("check", "--connect", demoUri, "--json").out()).get("findings");
        List<String> l40s = new ArrayList<>();
        findings.forEach(f -> {
            if (f.get("subject").asText().equals("0000:e1:00.0") && f.get("id").asText().startsWith("mdev")) {
                l40s.add(f.get("severity").asText() + " " + f.get("message").asText());
            }
        });
        assertThat(l40s).singleElement().asString().startsWith("SKIP vGPU through SR-IOV VFs, whose types libvirt does not show");
    }

    @Test
    void aVgpuDomainForALibvirtHostUsesItsFreeMdevAndRefusesToCreateOneThere() throws Exception {
        Cli.Result use = run("domain", "generate", "--connect", uri, "--template", "vgpu-desktop", "--name", "v1", "--mdev-type", "nvidia-223");
        assertThat(use.exitCode()).as(use.err()).isZero();
        assertThat(use.out()).contains("<address uuid=\"b8a7d9e2-6c1f-4e0a-9d3b-2f6a1c4e5d70\"/>");
        Cli.Result create = run("domain", "generate", "--connect", uri, "--template", "vgpu-desktop", "--name", "v2", "--mdev-type", "nvidia-222");
        assertThat(create.exitCode()).isNotZero();
        assertThat(create.err().strip()).doesNotContain("\n").contains("vfiokit creates mdevs only on a real host")
                .contains("on that host, vfiokit mdev create --parent 0000:a1:00.0 --type nvidia-222 --dry-run");
    }

    @Test
    void twoNodeDevicesAtOneAddressAreOneLineForEveryCommandNotAnInternalError() throws Exception {
        // Nova's test_config: pci_0000_09_00_0 and pci_0000_33_00_0 both say bus 9
        Path nova = Path.of(ConnectMdevCliTest.class.getResource("/corpus/nova/SOURCE.md").toURI()).getParent().resolve("device");
        String a = Files.readString(nova.resolve("unit_virt_libvirt_test_config_L2968_87b35d61b897.xml"));
        String b = Files.readString(nova.resolve("unit_virt_libvirt_test_config_L3005_31c41deaae8f.xml"));
        Path node = Files.writeString(dir.resolve("dup-node.xml"), "<node><cpu><nodes>1</nodes><sockets>1</sockets><cores>2</cores>"
                + "<threads>1</threads><active>2</active><mhz>2000</mhz><model>i686</model></cpu><memory>2097152</memory>\n" + a + b + "</node>\n");
        for (String cmd : List.of("devices", "groups", "check")) {
            Cli.Result r = run(cmd, "--connect", "test://" + node);
            assertThat(r.exitCode()).as(cmd + ": " + r.err()).isEqualTo(69);
            assertThat(r.err().strip()).as(cmd).isEqualTo("vfiokit: libvirt listed two node devices at 0000:09:00.0 (pci_0000_09_00_0 and pci_0000_33_00_0)");
        }
    }
}
