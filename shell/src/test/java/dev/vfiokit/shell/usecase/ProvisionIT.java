package dev.vfiokit.shell.usecase;

import dev.vfiokit.iommucheck.fixture.FixtureHosts;
import dev.vfiokit.iommucheck.host.HostRoot;
import dev.vfiokit.iommucheck.host.HostSnapshot;
import dev.vfiokit.iommucheck.host.HostSnapshotReader;
import dev.vfiokit.libvirt.PersistedDomain;
import dev.vfiokit.libvirt.TestDriverHostFile;
import dev.vfiokit.shell.LibvirtTargets;
import dev.vfiokit.shell.provision.ManifestReader;
import dev.vfiokit.shell.provision.ProvisionPlanner;
import dev.vfiokit.shell.provision.VmPlan;
import dev.vfiokit.shell.provision.VmResult;
import dev.vfiokit.templates.TemplateCatalogue;
import dev.vfiokit.tuning.RuleCatalogue;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The provisioning use case in process, against libvirt's test driver loaded with the EPYC fixture and a domain the
 * admin made (it holds the A6000 0000:41:00.0 and node 1's cores 17-20): what libvirt has is read in one pass and
 * planned around, and apply defines what was planned.
 */
class ProvisionIT {
    @TempDir
    Path dir;

    private String uri;

    @BeforeEach
    void host() {
        FixtureHosts.epycServer().writeTo(dir.resolve("tree"));
        HostSnapshot snap = new HostSnapshotReader(new HostRoot(dir.resolve("tree"))).read("epyc");
        String hand = "<domain type='kvm'><name>by-hand</name><memory unit='MiB'>512</memory><vcpu>4</vcpu>"
                + "<cputune><vcpupin vcpu='0' cpuset='17-20'/><vcpupin vcpu='1' cpuset='49-52'/></cputune>"
                + "<os><type arch='x86_64'>hvm</type></os><devices><hostdev mode='subsystem' type='pci' managed='yes'><source>"
                + "<address domain='0x0000' bus='0x41' slot='0x00' function='0x0'/></source></hostdev></devices></domain>";
        uri = "test://" + TestDriverHostFile.write(snap, List.of(new PersistedDomain("by-hand", hand, false)), dir.resolve("host.xml"));
    }

    private Provision provision() {
        return new Provision(new LibvirtTargets(), new ProvisionPlanner(TemplateCatalogue.builtin(), RuleCatalogue.builtin(), "m.yaml"),
                dir.resolve("state"));
    }

    private static dev.vfiokit.shell.provision.Manifest manifest(String yaml) {
        return new ManifestReader("m.yaml").read(yaml);
    }

    @Test
    void theAdminsDomainKeepsItsGpuAndApplyDefinesWhatWasPlanned() {
        var m = manifest("""
                hosts: {h1: "%s"}
                vms:
                  - {name: t1, host: h1, template: gpu-compute, gpu: {model: "10de:2230", count: 1}, memory: 4GiB, pin: false}
                """.formatted(uri));
        Provision.Planned planned = provision().plan(m);
        assertThat(planned.notes()).isEmpty();
        VmPlan p = planned.plans().get(0);
        assertThat(p.status()).isEqualTo(VmPlan.Status.CREATE);
        assertThat(planned.hosts().get("h1").assigned()).containsValue("by-hand");
        assertThat(planned.hosts().get("h1").held().cpus().byCpu()).containsEntry(17, "by-hand");
        // the first free A6000: 0000:41:00.0 is the admin's
        assertThat(p.xml()).contains("bus=\"0x01\"").doesNotContain("bus=\"0x41\" slot=\"0x00\" function=\"0x0\"/></source>");

        List<String> progress = new ArrayList<>();
        List<VmResult> results = provision().apply(m, progress::add);
        assertThat(results).extracting(VmResult::outcome).containsExactly(VmResult.Outcome.CREATED);
        assertThat(progress).containsExactly("created t1 on h1");
    }

    @Test
    void manyVmsOfOneHostAreDefinedSeveralAtOnceAndReportedInManifestOrder() {
        StringBuilder yaml = new StringBuilder("hosts: {h1: \"" + uri + "\"}\nvms:\n");
        List<String> names = new ArrayList<>();
        for (int i = 0; i < 3 * dev.vfiokit.shell.provision.ProvisionRunner.DEFINES_IN_FLIGHT; i++) {
            names.add("many-" + i);
            yaml.append("  - {name: many-").append(i).append(", host: h1, template: gpu-compute, vcpus: 2, memory: 2GiB, pin: false}\n");
        }
        Provision.Planned planned = provision().plan(manifest(yaml.toString()));
        List<String> progress = java.util.Collections.synchronizedList(new ArrayList<>());
        java.util.Map<String, String> defined = new java.util.TreeMap<>();
        // the test driver keeps what a connection defined only while it is open: read it back before the runner closes it
        List<VmResult> results = new dev.vfiokit.shell.provision.ProvisionRunner(planned.hosts(), dir.resolve("state"), progress::add,
                hc -> defined.putAll(hc.connection().definitions())).apply(planned.plans());
        assertThat(results).extracting(VmResult::name).containsExactlyElementsOf(names);
        assertThat(results).extracting(VmResult::outcome).containsOnly(VmResult.Outcome.CREATED);
        assertThat(progress).hasSize(names.size()).allMatch(l -> l.startsWith("created many-") && l.endsWith(" on h1"));
        // every one defined, each as planned (its stamp in its description)
        for (VmPlan p : planned.plans()) {
            assertThat(defined.get(p.spec().name())).as(p.spec().name()).contains(p.stamp());
        }
    }

    @Test
    void aGpuTheAdminsDomainHoldsAndItsNameAreRefusedWithTheVmsLine() {
        assertThatThrownBy(() -> provision().plan(manifest("""
                hosts: {h1: "%s"}
                vms:
                  - {name: t1, host: h1, template: gpu-compute, gpus: ["0000:41:00.0"]}
                """.formatted(uri)))).hasMessageStartingWith("m.yaml:3: VM t1: 0000:41:00.0 is taken");
        // libvirt's test driver lists no NUMA cells for this host: pinning cannot be placed, and the error says so
        assertThatThrownBy(() -> provision().plan(manifest("""
                hosts: {h1: "%s"}
                vms:
                  - {name: t2, host: h1, template: gpu-compute, gpus: ["0000:61:00.0"]}
                """.formatted(uri)))).hasMessage("m.yaml:3: VM t2: vcpu-pinning: no host CPU topology to compute NUMA placement from "
                + "(pin: false places the VM unpinned)");
        assertThatThrownBy(() -> provision().plan(manifest("""
                hosts: {h1: "%s"}
                vms:
                  - {name: by-hand, host: h1, template: gpu-compute, gpus: ["0000:61:00.0"], pin: false}
                """.formatted(uri)))).hasMessageContaining("domain 'by-hand' already exists on h1 and was not made by vfiokit provision");
    }

    @Test
    void anUnreachableHostFailsItsOwnVmsAndTheOtherHostGoesOn() {
        var m = manifest("""
                hosts: {h1: "qemu+tcp://127.0.0.1:1/system", h2: "test:///default"}
                vms:
                  - {name: t1, host: h1, template: gpu-compute}
                  - {name: t2, host: h2, template: gpu-compute, pin: false}
                """);
        Provision.Planned planned = provision().plan(m);
        assertThat(planned.notReached()).containsOnlyKeys("h1");
        assertThat(planned.plans()).extracting(p -> p.spec().name() + " " + p.status()).containsExactly("t1 NOT_REACHED", "t2 CREATE");
        List<VmResult> results = provision().apply(m, line -> { });
        assertThat(results).extracting(r -> r.name() + " " + r.outcome()).containsExactlyInAnyOrder("t1 failed", "t2 created");
        assertThat(results.stream().filter(r -> r.name().equals("t1")).findFirst().orElseThrow().message())
                .startsWith("host h1 not reached: cannot connect to qemu+tcp://127.0.0.1:1/system");
    }

    @Test
    void applyMakesThePlannedVgpuBeforeItDefinesTheDomain() throws Exception {
        Path tree = dir.resolve("l40s");
        FixtureHosts.l40sVgpu(true).writeTo(tree);
        HostSnapshot l40s = new HostSnapshotReader(new HostRoot(tree)).read("l40s");
        var m = manifest("""
                hosts: {h1: "test:///default"}
                vms:
                  - {name: a, host: h1, template: vgpu-desktop, vgpuType: "1177", pin: false}
                  - {name: b, host: h1, template: vgpu-desktop, vgpuType: "1177", pin: false}
                """);
        // planned as for a host vfiokit runs on; carried out on the tree (the writes land there, not on this machine)
        var planner = new ProvisionPlanner(TemplateCatalogue.builtin(), RuleCatalogue.builtin(), "m.yaml");
        var asLocal = new dev.vfiokit.shell.provision.HostFacts("h1", "test:///default", "qemu", l40s, dev.vfiokit.vfio.HostTarget.local(),
                java.util.Map.of(), java.util.Map.of(), java.util.Map.of(), java.util.Set.of(), dev.vfiokit.tuning.NumaLedger.NONE);
        List<VmPlan> plans = planner.plan(m, java.util.Map.of("h1", asLocal));
        var onTree = new dev.vfiokit.shell.provision.HostFacts("h1", "test:///default", "qemu", l40s, dev.vfiokit.vfio.HostTarget.tree(tree),
                java.util.Map.of(), java.util.Map.of(), java.util.Map.of(), java.util.Set.of(), dev.vfiokit.tuning.NumaLedger.NONE);
        List<VmResult> results = new dev.vfiokit.shell.provision.ProvisionRunner(java.util.Map.of("h1", onTree), dir.resolve("state"),
                line -> { }, hc -> { }).apply(plans);
        assertThat(results).extracting(VmResult::outcome).containsExactly(VmResult.Outcome.CREATED, VmResult.Outcome.CREATED);
        assertThat(java.nio.file.Files.readString(tree.resolve("sys/bus/pci/devices/0000:41:00.4/nvidia/current_vgpu_type")).strip())
                .isEqualTo("1177");
    }
}
