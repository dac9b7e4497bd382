package dev.vfiokit.tests;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Batch provisioning on the demo host, as scripts run it: plan, apply, apply again, rollback, destroy, bad manifests. */
class ProvisionCliTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    private Map<String, String> env;

    @BeforeEach
    void isolate() {
        env = Map.of("XDG_CACHE_HOME", tmp.resolve("cache").toString(), "XDG_CONFIG_HOME", tmp.resolve("config").toString(),
                "XDG_STATE_HOME", tmp.resolve("state").toString());
    }

    private Path manifest(String name, String yaml) throws Exception {
        Path f = tmp.resolve(name);
        Files.writeString(f, yaml);
        return f;
    }

    @Test
    void theExampleManifestPlansAppliesIdempotentlyAndIsDestroyed() throws Exception {
        Path f = manifest("demo.yaml", Cli.run(env, "provision", "example").out());
        JsonNode plan = JSON.readTree(Cli.run(env, "provision", "plan", "--file", f.toString(), "--json").out());
        assertThat(plan.get("vms")).hasSize(4);
        JsonNode trainer = plan.get("vms").get(0);
        assertThat(trainer.get("status").asText()).isEqualTo("CREATE");
        // two A6000s of one NUMA node, pinned there, 1G pages from that node
        assertThat(trainer.get("xml").asText()).contains("bus=\"0x01\"", "bus=\"0x21\"", "<memory mode=\"strict\" nodeset=\"0\"/>",
                "<page size=\"1048576\" unit=\"KiB\"/>");
        assertThat(VirtXmlValidate.problems(trainer.get("xml").asText(), "domain")).isNull();
        // no core is given twice: the four VMs' vcpupins are disjoint
        java.util.Set<String> cpus = new java.util.HashSet<>();
        for (JsonNode vm : plan.get("vms")) {
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("<vcpupin [^>]*cpuset=\"(\\d+)\"").matcher(vm.get("xml").asText());
            while (m.find()) {
                assertThat(cpus.add(m.group(1))).as("CPU " + m.group(1) + " pinned twice").isTrue();
            }
        }
        assertThat(cpus).hasSize(16);

        Cli.Result apply = Cli.run(env, "provision", "apply", "--file", f.toString(), "--json");
        assertThat(apply.exitCode()).as(apply.err()).isZero();
        // each VM carries vfiokit's mark: made by provision, for this VM of this manifest
        assertThat(Cli.run(env, "domain", "dumpxml", "--host", "demo", "--name", "trainer-01", "--inactive").out())
                .contains("<vfiokit:owner", "by=\"provision\"", "vm=\"trainer-01\"", "manifest=\"demo.yaml\"");
        JsonNode a = JSON.readTree(apply.out());
        assertThat(a.get("summary").get("created").asInt()).isEqualTo(4);
        assertThat(a.get("vms").get(0).fieldNames()).toIterable().containsExactly("name", "host", "outcome", "message");
        JsonNode again = JSON.readTree(Cli.run(env, "provision", "apply", "--file", f.toString(), "--json").out());
        assertThat(again.get("summary").get("skipped").asInt()).isEqualTo(4);
        assertThat(again.get("summary").get("created").asInt()).isZero();
        assertThat(JSON.readTree(Cli.run(env, "domain", "list", "--host", "demo", "--json").out()).get("domains")).hasSize(4);

        JsonNode destroy = JSON.readTree(Cli.run(env, "provision", "destroy", "--file", f.toString(), "--json").out());
        assertThat(destroy.get("summary").get("removed").asInt()).isEqualTo(4);
        assertThat(JSON.readTree(Cli.run(env, "domain", "list", "--host", "demo", "--json").out()).get("domains")).isEmpty();
    }

    @Test
    void aFailedVmIsRolledBackWhileTheOthersAreCreatedAndTheExitCodeSaysSo() throws Exception {
        Path f = manifest("demo.yaml", Cli.run(env, "provision", "example").out());
        Map<String, String> failing = new HashMap<>(env);
        failing.put("VFIOKIT_FAIL_VM", "render-01");
        Cli.Result r = Cli.run(failing, "provision", "apply", "--file", f.toString(), "--json");
        assertThat(r.exitCode()).isEqualTo(74);
        JsonNode j = JSON.readTree(r.out());
        assertThat(j.get("summary").get("created").asInt()).isEqualTo(3);
        assertThat(j.get("summary").get("failed").asInt()).isEqualTo(1);
        assertThat(j.get("vms").get(1).get("message").asText()).contains("injected failure", "undefined");
        JsonNode domains = JSON.readTree(Cli.run(env, "domain", "list", "--host", "demo", "--json").out()).get("domains");
        assertThat(domains.findValuesAsText("name")).containsExactlyInAnyOrder("trainer-01", "vrouter-01", "desk-01");
        // the next apply creates only what is missing
        JsonNode next = JSON.readTree(Cli.run(env, "provision", "apply", "--file", f.toString(), "--json").out());
        assertThat(next.get("summary").get("created").asInt()).isEqualTo(1);
        assertThat(next.get("summary").get("skipped").asInt()).isEqualTo(3);
    }

    @Test
    void placementRefusesDoubleAssignmentAndOverCommitWithTheVmsLine() throws Exception {
        Path gpus = manifest("gpus.yaml", """
                hosts: {demo: demo}
                vms:
                  - {name: a, host: demo, template: gpu-compute, gpu: {model: "10de:2230", count: 2}, pin: false}
                  - {name: b, host: demo, template: gpu-compute, gpu: {model: "10de:2230", count: 2}, pin: false}
                  - {name: c, host: demo, template: gpu-compute, gpus: ["0000:01:00.0"], pin: false}
                """);
        Cli.Result r = Cli.run(env, "provision", "plan", "--file", gpus.toString());
        assertThat(r.exitCode()).isEqualTo(64);
        assertThat(r.err()).contains("gpus.yaml:5: VM c: 0000:01:00.0 is taken");
        Path cores = manifest("cores.yaml", """
                hosts: {demo: demo}
                vms:
                  - {name: big1, host: demo, template: gpu-compute, gpus: ["0000:41:00.0"], vcpus: 24}
                  - {name: big2, host: demo, template: gpu-compute, gpus: ["0000:61:00.0"], vcpus: 24}
                """);
        assertThat(Cli.run(env, "provision", "plan", "--file", cores.toString()).err())
                .contains("cores.yaml:4: VM big2: vcpu-pinning: node 1 has 3 free cores (6 threads, one core kept for the host, 12 held by big1); "
                        + "the guest has 24 vCPUs: over-commit refused");
        Path pages = manifest("pages.yaml", """
                hosts: {demo: demo}
                vms:
                  - {name: n1, host: demo, template: sriov-nfv, profile: nfv, vfs: ["ens1f0np0"], vcpus: 2, memory: 6GiB}
                  - {name: n2, host: demo, template: sriov-nfv, profile: nfv, vfs: ["ens1f0np0"], vcpus: 2, memory: 6GiB}
                """);
        assertThat(Cli.run(env, "provision", "plan", "--file", pages.toString()).err())
                .contains("pages.yaml:4: VM n2: hugepages: node 1 has not enough free hugepages for 6144 MiB (1024 x 2M, 0 x 1G free, "
                        + "3072 more promised to domains placed before this one)", "over-commit refused");
        Path mdev = manifest("mdev.yaml", """
                hosts: {demo: demo}
                vms:
                  - {name: d1, host: demo, template: vgpu-desktop, mdevType: nvidia-223, pin: false}
                  - {name: d2, host: demo, template: vgpu-desktop, mdevType: nvidia-223, pin: false}
                """);
        assertThat(Cli.run(env, "provision", "plan", "--file", mdev.toString()).err())
                .contains("mdev.yaml:4: VM d2: no free mdev of type nvidia-223 on demo");
        // nothing was changed by any of these
        assertThat(JSON.readTree(Cli.run(env, "domain", "list", "--host", "demo", "--json").out()).get("domains")).isEmpty();
    }

    @Test
    void aDomainTheAdminMadeIsNeverRedefinedOrDestroyedAndTheHostsOwnDevicesAreNeverPlaced() throws Exception {
        Path own = manifest("own.yaml", """
                hosts: {demo: demo}
                vms:
                  - {name: nic, host: demo, template: gpu-compute, gpus: ["0000:c3:00.0"], pin: false}
                """);
        Cli.Result nic = Cli.run(env, "provision", "plan", "--file", own.toString());
        assertThat(nic.exitCode()).isEqualTo(64);
        assertThat(nic.err()).contains("own.yaml:3: VM nic: 0000:c3:00.0 carries the default route (eno1): the host needs it");

        Path hand = tmp.resolve("trainer-01.xml");
        Files.writeString(hand, "<domain type='kvm'><name>trainer-01</name><memory unit='MiB'>512</memory><vcpu>1</vcpu>"
                + "<os><type arch='x86_64'>hvm</type></os><description>made by hand</description></domain>");
        assertThat(Cli.run(env, "domain", "define", "--host", "demo", "--file", hand.toString()).exitCode()).isZero();
        String before = Cli.run(env, "domain", "dumpxml", "--host", "demo", "--name", "trainer-01", "--inactive").out();
        Path f = manifest("demo.yaml", Cli.run(env, "provision", "example").out());
        Cli.Result apply = Cli.run(env, "provision", "apply", "--file", f.toString());
        assertThat(apply.exitCode()).isEqualTo(64);
        assertThat(apply.err()).contains("VM trainer-01: domain 'trainer-01' already exists on demo and was not made by vfiokit provision");
        Cli.Result destroy = Cli.run(env, "provision", "destroy", "--file", f.toString(), "--json");
        assertThat(destroy.exitCode()).isZero();
        assertThat(destroy.out()).contains("not made by vfiokit provision: left alone");
        assertThat(Cli.run(env, "domain", "dumpxml", "--host", "demo", "--name", "trainer-01", "--inactive").out()).isEqualTo(before)
                .contains("made by hand");
    }

    @Test
    void malformedManifestsGiveLineNumberedErrorsAndChangeNothing() throws Exception {
        Map<String, String> cases = Map.of(
                "hosts: [\n", "bad.yaml:2: not valid YAML",
                "hosts: {demo: demo}\nvms:\n  - {name: x, host: demo, template: nope}\n", "bad.yaml:3: VM x: unknown template 'nope'",
                "hosts: {demo: demo}\nvms:\n  - name: x\n    host: mars\n    template: gpu-compute\n", "bad.yaml:4: VM x: unknown host 'mars'",
                "hosts: {demo: demo}\nvms:\n  - name: x\n    host: demo\n    template: gpu-compute\n    colour: red\n", "bad.yaml:6: unknown key 'colour'",
                "hosts: {demo: demo}\nvms:\n  - {name: x, host: demo, template: gpu-compute, gpus: [\"0000:99:00.0\"]}\n", "bad.yaml:3: VM x: no PCI device 0000:99:00.0",
                "hosts: {demo: demo}\nvms:\n  - {name: x, host: demo, template: gpu-compute, vcpus: 99999999999}\n", "bad.yaml:3: vcpus is too large, got 99999999999",
                "hosts: {demo: demo}\nvms:\n  - {name: x, host: demo, template: gpu-compute, memory: 17179869184TiB}\n",
                "bad.yaml:3: VM x: memory 17179869184TiB is larger than any host's");
        for (Map.Entry<String, String> c : cases.entrySet()) {
            Path f = manifest("bad.yaml", c.getKey());
            Cli.Result r = Cli.run(env, "provision", "apply", "--file", f.toString());
            assertThat(r.exitCode()).as(c.getValue()).isEqualTo(64);
            assertThat(r.err()).startsWith("vfiokit: " + f.getParent() + "/" + c.getValue());
        }
        assertThat(JSON.readTree(Cli.run(env, "domain", "list", "--host", "demo", "--json").out()).get("domains")).isEmpty();
    }

    @Test
    void aHundredVmManifestAppliesToTheDemoHost() throws Exception {
        StringBuilder y = new StringBuilder("hosts: {demo: demo}\nvms:\n");
        for (int i = 0; i < 100; i++) {
            y.append("  - {name: batch-").append(i).append(", host: demo, template: gpu-compute, vcpus: 2, memory: 2GiB, pin: false}\n");
        }
        Path f = manifest("hundred.yaml", y.toString());
        Cli.Result r = Cli.run(env, "provision", "apply", "--file", f.toString(), "--json");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(JSON.readTree(r.out()).get("summary").get("created").asInt()).isEqualTo(100);
        assertThat(JSON.readTree(Cli.run(env, "domain", "list", "--host", "demo", "--json").out()).get("domains")).hasSize(100);
        assertThat(JSON.readTree(Cli.run(env, "provision", "apply", "--file", f.toString(), "--json").out())
                .get("summary").get("skipped").asInt()).isEqualTo(100);
    }
}
