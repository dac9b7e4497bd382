package dev.vfiokit.tests;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Templates and domains on the demo host, one one-shot process per step, as a script would do it. */
class DomainCliTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path cache;

    @Test
    void passthroughGuestsThatCannotFitTheHostsRamAreRefusedInOneLineByGenerateCheckAndPlan() throws Exception {
        Map<String, String> env = Map.of("XDG_CACHE_HOME", cache.toString(), "XDG_CONFIG_HOME", cache.toString(),
                "XDG_STATE_HOME", cache.toString());
        // the demo host: 2 x 256 GiB, MemTotal 504 GiB (its nodes' meminfo)
        Cli.Result big = Cli.run(env, "domain", "generate", "--host", "demo", "--template", "gpu-compute", "--name", "big",
                "--gpu", "0000:41:00.0", "--memory", "600GiB");
        assertThat(big.exitCode()).isEqualTo(65);
        assertThat(big.err()).isEqualTo("vfiokit: memory 600GiB is more than the 504GiB of RAM host demo has: a guest with passthrough"
                + " devices has all its memory locked for DMA, so it could never start\n");
        Cli.Result wraps = Cli.run(env, "domain", "generate", "--host", "demo", "--template", "gpu-compute", "--name", "big",
                "--memory", "17179869184TiB");
        assertThat(wraps.exitCode()).isEqualTo(64);
        assertThat(wraps.err()).isEqualTo("vfiokit: memory 17179869184TiB is larger than any host's\n");

        Cli.Result fits = Cli.run(env, "domain", "generate", "--host", "demo", "--template", "gpu-compute", "--name", "big",
                "--gpu", "0000:41:00.0", "--memory", "400GiB");
        assertThat(fits.exitCode()).as(fits.err()).isZero();
        Path xml = cache.resolve("big.xml");
        Files.writeString(xml, fits.out().replace("<memory unit=\"KiB\">419430400</memory>", "<memory unit=\"GiB\">900</memory>"));
        Cli.Result check = Cli.run(env, "check", "--xml", xml.toString(), "--host", "demo", "--json");
        assertThat(check.exitCode()).isEqualTo(2);
        JsonNode memlock = JSON.readTree(check.out()).get("findings").get(0);
        assertThat(memlock.get("id").asText()).isEqualTo("domain.memlock");
        assertThat(memlock.get("severity").asText()).isEqualTo("FAIL");
        assertThat(memlock.get("message").asText()).startsWith("its memory (900G) is more than the host's RAM (504G)");
        // pinned strictly to the GPU's node (252 GiB), a 400 GiB guest could never be allocated: tune says so
        Cli.Result tune = Cli.run(env, "tune", "--file", xml.toString(), "--profile", "compute-headless",
                "--host", "demo", "--explain");
        assertThat(tune.exitCode()).as(tune.err()).isZero();
        assertThat(tune.out()).contains("is more than node 1 has (258048 MiB): bound strictly there it could never be allocated");

        Path manifest = cache.resolve("m.yaml");
        Files.writeString(manifest, """
                hosts: {demo: demo}
                vms:
                  - {name: a, host: demo, template: gpu-compute, gpus: [0000:01:00.0], memory: 300GiB, pin: false}
                  - {name: b, host: demo, template: gpu-compute, gpus: [0000:21:00.0], memory: 300GiB, pin: false}
                """);
        Cli.Result plan = Cli.run(env, "provision", "plan", "--file", manifest.toString());
        assertThat(plan.exitCode()).isEqualTo(64);
        assertThat(plan.err()).isEqualTo("vfiokit: " + manifest + ":4: VM b: memory: this VM's 300GiB, locked for its passthrough devices,"
                + " and the 300GiB that other VFIO guests lock on demo (its domains and the VMs above) are more than its 504GiB of RAM:"
                + " over-commit refused\n");
    }

    @Test
    void generateDefineStartRefuseStopUndefineAcrossProcesses() throws Exception {
        Map<String, String> env = Map.of("XDG_CACHE_HOME", cache.toString(), "XDG_CONFIG_HOME", cache.toString());
        Cli.Result gen = Cli.run(env, "domain", "generate", "--host", "demo", "--template", "gpu-compute", "--name", "trainer-01",
                "--gpu", "0000:41:00.0", "--vf", "ens1f0np0,vlan=100", "--define", "--json");
        assertThat(gen.exitCode()).as(gen.err()).isZero();
        JsonNode g = JSON.readTree(gen.out());
        assertThat(g.get("defined").asBoolean()).isTrue();
        assertThat(g.get("xml").asText()).contains("<name>trainer-01</name>", "bus=\"0x41\"", "<tag id=\"100\"/>");
        assertThat(g.get("notes").toString()).contains("0000:41:00.1 (audio) added", "QEMU's driver did not judge this domain");

        assertThat(Cli.run(env, "domain", "start", "--name", "trainer-01", "--host", "demo").exitCode()).isZero();
        JsonNode list = JSON.readTree(Cli.run(env, "domain", "list", "--host", "demo", "--json").out());
        assertThat(list.get("domains").get(0).get("state").asText()).isEqualTo("running");

        Cli.Result taken = Cli.run(env, "domain", "generate", "--host", "demo", "--template", "gpu-compute", "--name", "other",
                "--gpu", "41:00.0");
        assertThat(taken.exitCode()).isEqualTo(65);
        assertThat(taken.err()).isEqualTo("vfiokit: 0000:41:00.0 is already given to domain 'trainer-01'\n");

        Cli.Result running = Cli.run(env, "domain", "undefine", "--name", "trainer-01", "--host", "demo");
        assertThat(running.exitCode()).isEqualTo(69);
        assertThat(running.err()).contains("running (stop it first)");

        Path xml = cache.resolve("dump.xml");
        Cli.Result dump = Cli.run(env, "domain", "dumpxml", "--name", "trainer-01", "--inactive", "--host", "demo");
        Files.writeString(xml, dump.out());
        assertThat(VirtXmlValidate.problems(dump.out(), "domain")).isNull();

        assertThat(Cli.run(env, "domain", "stop", "--name", "trainer-01", "--force", "--host", "demo").exitCode()).isZero();
        assertThat(Cli.run(env, "domain", "undefine", "--name", "trainer-01", "--host", "demo").exitCode()).isZero();
        assertThat(JSON.readTree(Cli.run(env, "domain", "list", "--host", "demo", "--json").out()).get("domains")).isEmpty();

        // the dumped definition defines again from the file, with vfiokit's mark, so generate may redefine it
        assertThat(Cli.run(env, "domain", "define", "--file", xml.toString(), "--host", "demo").out()).startsWith("defined trainer-01");
        assertThat(dump.out()).contains("<vfiokit:owner", "by=\"domain generate\"", "vm=\"trainer-01\"");
        assertThat(Cli.run(env, "domain", "generate", "--host", "demo", "--template", "gpu-compute", "--name", "trainer-01",
                "--define").exitCode()).isZero();

        // a domain the admin made is never redefined by generate
        Path hand = cache.resolve("hand.xml");
        Files.writeString(hand, "<domain type='kvm'><name>by-hand</name><memory unit='MiB'>512</memory><vcpu>1</vcpu>"
                + "<os><type arch='x86_64'>hvm</type></os></domain>");
        assertThat(Cli.run(env, "domain", "define", "--file", hand.toString(), "--host", "demo").exitCode()).isZero();
        Cli.Result over = Cli.run(env, "domain", "generate", "--host", "demo", "--template", "gpu-compute", "--name", "by-hand", "--define");
        assertThat(over.exitCode()).isEqualTo(65);
        assertThat(over.err()).contains("domain 'by-hand' already exists on", "was not made by vfiokit domain generate: refusing to redefine it");
        assertThat(Cli.run(env, "domain", "dumpxml", "--name", "by-hand", "--inactive", "--host", "demo").out())
                .doesNotContain("vfiokit").contains("<memory unit='KiB'>524288</memory>");
    }

    @Test
    void generatedXmlOnStdoutIsOneValidDocumentWithNotesAsComments() throws Exception {
        Map<String, String> env = Map.of("XDG_CACHE_HOME", cache.toString());
        Cli.Result r = Cli.run(env, "domain", "generate", "--host", "demo", "--template", "sriov-nfv", "--name", "fw-1",
                "--vf", "ens1f0np0", "ens1f0np0,vf=3,mac=02:00:00:00:00:01");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).startsWith("<!-- ");
        assertThat(VirtXmlValidate.problems(r.out(), "domain")).isNull();
        Cli.Result bad = Cli.run(env, "domain", "generate", "--host", "demo", "--template", "nope", "--name", "x");
        assertThat(bad.exitCode()).isEqualTo(64);
        assertThat(bad.err()).contains("unknown template 'nope'");
    }

    @Test
    void templatesAreListedAndShownWithTheirParameters() throws Exception {
        Map<String, String> env = Map.of("XDG_CONFIG_HOME", cache.toString());
        JsonNode list = JSON.readTree(Cli.run(env, "template", "list", "--json").out());
        assertThat(list.get("templates").findParents("summary").stream().map(t -> t.get("name").asText()).toList()).containsExactly("gpu-compute", "gpu-workstation", "sriov-nfv", "vgpu-desktop");
        Cli.Result show = Cli.run(env, "template", "show", "--name", "gpu-workstation");
        assertThat(show.out()).contains("vendor_id", "<hidden state=\"on\"/>");
        // a user template directory adds templates without rebuilding
        Path dir = Files.createDirectories(cache.resolve("vfiokit/templates"));
        Files.writeString(dir.resolve("tiny.xml"), """
                <template name="tiny"><summary>a tiny test VM</summary>
                <parameter name="vcpus" default="1">vCPUs</parameter><parameter name="memory" default="256MiB">memory</parameter>
                <domain type="kvm"><os><type arch="x86_64" machine="q35">hvm</type></os><devices/></domain></template>
                """);
        assertThat(Cli.run(env, "template", "list").out()).contains("tiny", "a tiny test VM");
    }
}
