package dev.vfiokit.shell.provision;

import dev.vfiokit.iommucheck.fixture.FixtureHosts;
import dev.vfiokit.iommucheck.host.HostRoot;
import dev.vfiokit.iommucheck.host.HostSnapshot;
import dev.vfiokit.iommucheck.host.HostSnapshotReader;
import dev.vfiokit.iommucheck.host.PciAddress;
import dev.vfiokit.templates.DomainGenerator;
import dev.vfiokit.templates.DomainOwner;
import dev.vfiokit.templates.DomainRequest;
import dev.vfiokit.templates.Template;
import dev.vfiokit.templates.TemplateCatalogue;
import dev.vfiokit.templates.xml.Domain;
import dev.vfiokit.templates.xml.DomainXml;
import dev.vfiokit.tuning.NumaLedger;
import dev.vfiokit.tuning.Profile;
import dev.vfiokit.tuning.RuleCatalogue;
import dev.vfiokit.tuning.RuleOutcome;
import dev.vfiokit.tuning.Tuner;
import dev.vfiokit.tuning.TuningInput;
import dev.vfiokit.tuning.TuningResult;
import dev.vfiokit.vfio.HostTarget;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Provisioning's placement and drafting in process, on the EPYC fixture: no JVM started, no libvirt, the facts given. */
class ProvisionPlannerTest {
    @TempDir
    Path dir;

    private HostSnapshot epyc;
    private HostTarget target;

    @BeforeEach
    void host() {
        FixtureHosts.epycServer().writeTo(dir);
        target = HostTarget.tree(dir);
        epyc = new HostSnapshotReader(new HostRoot(dir)).read("epyc");
    }

    private HostFacts facts(Map<PciAddress, String> assigned, Map<String, String> descriptions, Set<String> provisioned) {
        return new HostFacts("h1", "test:///default", "kvm", epyc, target, assigned, Map.of(), descriptions, provisioned,
                dev.vfiokit.tuning.NumaLedger.NONE);
    }

    private static List<VmPlan> plan(String yaml, HostFacts h) {
        Manifest m = new ManifestReader("m.yaml").read(yaml);
        return new ProvisionPlanner(TemplateCatalogue.builtin(), RuleCatalogue.builtin(), "m.yaml").plan(m, Map.of("h1", h));
    }

    @Test
    void gpusOfOneNodeAreChosenCoresArePinnedOnceAndEveryVmCarriesTheProvisionMark() {
        List<VmPlan> plans = plan("""
                hosts: {h1: demo}
                vms:
                  - {name: a, host: h1, template: gpu-compute, gpu: {model: "10de:2230", count: 2}}
                  - {name: b, host: h1, template: gpu-compute, gpu: {model: "10de:2230", count: 1}}
                """, facts(Map.of(), Map.of(), Set.of()));
        assertThat(plans).extracting(VmPlan::status).containsExactly(VmPlan.Status.CREATE, VmPlan.Status.CREATE);
        assertThat(plans.get(0).xml()).contains("bus=\"0x01\"", "bus=\"0x21\"");
        Set<String> cpus = new HashSet<>();
        for (VmPlan p : plans) {
            Matcher m = Pattern.compile("<vcpupin [^>]*cpuset=\"(\\d+)\"").matcher(p.xml());
            while (m.find()) {
                assertThat(cpus.add(m.group(1))).as("CPU " + m.group(1) + " pinned twice").isTrue();
            }
            DomainOwner owner = DomainOwner.in(p.xml()).orElseThrow();
            assertThat(owner.by()).isEqualTo(DomainOwner.BY_PROVISION);
            assertThat(owner.manifest()).isEqualTo("m.yaml");
        }
        assertThat(cpus).isNotEmpty();
    }

    @Test
    void vendorVgpuVmsTakeAVgpuOfTheirTypeOnceAndOnlyAHostVfiokitRunsOnMakesMore() {
        Path tree = dir.resolve("l40s");
        dev.vfiokit.iommucheck.fixture.FixtureHosts.l40sVgpu(true).writeTo(tree);
        HostSnapshot l40s = new HostSnapshotReader(new HostRoot(tree)).read("l40s");
        String two = """
                hosts: {h1: demo}
                vms:
                  - {name: a, host: h1, template: vgpu-desktop, vgpuType: "NVIDIA L40S-12Q", pin: false}
                  - {name: b, host: h1, template: vgpu-desktop, vgpuType: "1177", pin: false}
                """;
        HostFacts snapshotOnly = new HostFacts("h1", "test:///default", "kvm", l40s, HostTarget.tree(tree), Map.of(), Map.of(), Map.of(),
                Set.of(), dev.vfiokit.tuning.NumaLedger.NONE);
        assertThatThrownBy(() -> plan(two, snapshotOnly)).hasMessage("m.yaml:4: VM b: no VF is a vGPU of type 1177 on h1, and vGPUs are "
                + "made only on a host vfiokit runs on (local)");
        HostFacts local = new HostFacts("h1", "qemu:///system", "kvm", l40s, HostTarget.local(), Map.of(), Map.of(), Map.of(),
                Set.of(), dev.vfiokit.tuning.NumaLedger.NONE);
        List<VmPlan> plans = plan(two, local);
        assertThat(plans.get(0).newVgpu()).isNull();
        assertThat(plans.get(0).actions()).contains("use the vGPU 0000:41:00.5 (type 1177)");
        assertThat(plans.get(0).xml()).contains("managed=\"no\"", "function=\"0x5\"");
        assertThat(plans.get(1).newVgpu()).isEqualTo(new VmPlan.NewVgpu("0000:41:00.4", 1177));
        assertThat(plans.get(1).xml()).contains("function=\"0x4\"");
        assertThatThrownBy(() -> plan("""
                hosts: {h1: demo}
                vms:
                  - {name: c, host: h1, template: vgpu-desktop, vgpuType: "1182", pin: false}
                """, local)).hasMessageContaining("VM c: no free VF on h1 can take vGPU type '1182'");
        // planned again once applied: each VM keeps the VF it holds
        HostFacts applied = new HostFacts("h1", "qemu:///system", "kvm", l40s.withVendorVgpu(PciAddress.parse("0000:41:00.4"), 1177),
                HostTarget.local(), Map.of(PciAddress.parse("0000:41:00.5"), "b", PciAddress.parse("0000:41:00.4"), "a"), Map.of(), Map.of(),
                Set.of(), dev.vfiokit.tuning.NumaLedger.NONE);
        List<VmPlan> again = plan(two, applied);
        assertThat(again.get(0).actions()).contains("use the vGPU 0000:41:00.4 (type 1177)");
        assertThat(again.get(1).actions()).contains("use the vGPU 0000:41:00.5 (type 1177)");
    }

    @Test
    void kvmIsHiddenOnlyForTheVmsTheManifestAsksFor() {
        List<VmPlan> plans = plan("""
                hosts: {h1: demo}
                vms:
                  - {name: asked, host: h1, template: gpu-compute, profile: gpu-desktop, gpus: ["0000:41:00.0"], memory: 4GiB, hideKvm: true}
                  - {name: plain, host: h1, template: gpu-compute, profile: gpu-desktop, gpus: ["0000:21:00.0"], memory: 4GiB}
                """, facts(Map.of(), Map.of(), Set.of()));
        assertThat(plans.get(0).xml()).contains("<hidden state=\"on\"/>");
        assertThat(plans.get(1).xml()).doesNotContain("<hidden");
        assertThatThrownBy(() -> new ManifestReader("m.yaml").read("""
                hosts: {h1: demo}
                vms:
                  - {name: a, host: h1, template: gpu-compute, hideKvm: maybe}
                """)).hasMessageContaining("m.yaml:3").hasMessageContaining("hideKvm: true or false, got 'maybe'");
    }

    @Test
    void coresAnotherDomainIsPinnedToAreNeverPlannedForAManifestVm() {
        org.w3c.dom.Element tuned = dev.vfiokit.iommucheck.input.SecureXml.parse("<domain><name>desk-1</name><cputune>"
                + "<vcpupin vcpu='0' cpuset='17'/><vcpupin vcpu='1' cpuset='49'/><vcpupin vcpu='2' cpuset='18'/><vcpupin vcpu='3' cpuset='50'/>"
                + "</cputune></domain>", "test").getDocumentElement();
        HostFacts h = new HostFacts("h1", "test:///default", "kvm", epyc, target, Map.of(), Map.of(), Map.of(), Set.of(),
                dev.vfiokit.tuning.NumaLedger.of(Map.of("desk-1", tuned)));
        List<VmPlan> plans = plan("""
                hosts: {h1: demo}
                vms:
                  - {name: a, host: h1, template: gpu-compute, gpus: ["0000:41:00.0"], vcpus: 4, memory: 4GiB}
                """, h);
        Matcher m = Pattern.compile("<vcpupin [^>]*cpuset=\"(\\d+)\"").matcher(plans.get(0).xml());
        List<String> cpus = new java.util.ArrayList<>();
        while (m.find()) {
            cpus.add(m.group(1));
        }
        assertThat(cpus).hasSize(4).doesNotContain("17", "49", "18", "50");
    }

    @Test
    void theFirstVmThatFailsIsTheErrorThoughItFailsInTheTunerAndALaterOneInGeneration() {
        // a is refused by the tuner (no node has 512 vCPUs), b by generation (a's GPU): a is the manifest's error
        assertThatThrownBy(() -> plan("""
                hosts: {h1: demo}
                vms:
                  - {name: a, host: h1, template: gpu-compute, profile: compute-headless, gpus: ["0000:41:00.0"], vcpus: 512, memory: 4GiB}
                  - {name: b, host: h1, template: gpu-compute, gpus: ["0000:41:00.0"]}
                """, facts(Map.of(), Map.of(), Set.of())))
                .hasMessageStartingWith("m.yaml:3: VM a: vcpu-pinning:");
        // and the VMs after the first failure change nothing of it
        assertThatThrownBy(() -> plan("""
                hosts: {h1: demo}
                vms:
                  - {name: a, host: h1, template: gpu-compute, gpus: ["0000:41:00.0"]}
                  - {name: b, host: h1, template: gpu-compute, gpus: ["0000:41:00.0"]}
                  - {name: c, host: h1, template: gpu-compute, profile: compute-headless, gpus: ["0000:21:00.0"], vcpus: 512, memory: 4GiB}
                """, facts(Map.of(), Map.of(), Set.of())))
                .hasMessageStartingWith("m.yaml:4: VM b: 0000:41:00.0 is taken");
    }

    @Test
    void aPlanAgainstItsOwnResultIsUnchangedAndTheStampIgnoresTheMarksVersion() {
        String yaml = """
                hosts: {h1: demo}
                vms:
                  - {name: a, host: h1, template: gpu-compute, gpus: ["0000:41:00.0"]}
                """;
        VmPlan first = plan(yaml, facts(Map.of(), Map.of(), Set.of())).get(0);
        VmPlan again = plan(yaml, facts(Map.of(PciAddress.parse("0000:41:00.0"), "a", PciAddress.parse("0000:41:00.1"), "a"),
                Map.of("a", first.stamp()), Set.of("a"))).get(0);
        assertThat(again.status()).isEqualTo(VmPlan.Status.UNCHANGED);
        assertThat(first.xml()).contains(first.stamp());
    }

    @Test
    void theAdminsDomainAndTheHostsOwnDevicesAreRefusedWithTheVmsLine() {
        assertThatThrownBy(() -> plan("""
                hosts: {h1: demo}
                vms:
                  - {name: a, host: h1, template: gpu-compute, gpus: ["0000:41:00.0"]}
                """, facts(Map.of(), Map.of("a", "made by hand"), Set.of())))
                .hasMessageStartingWith("m.yaml:3: VM a: domain 'a' already exists on h1 and was not made by vfiokit provision");
        assertThatThrownBy(() -> plan("""
                hosts: {h1: demo}
                vms:
                  - {name: a, host: h1, template: gpu-compute, gpus: ["0000:81:00.0"]}
                """, facts(Map.of(), Map.of(), Set.of())))
                .hasMessageStartingWith("m.yaml:3: VM a: 0000:81:00.0 is a storage controller (nvme): the host needs it");
    }

    private static final String THREE = """
            hosts: {h1: demo}
            vms:
              - {name: a, host: h1, template: gpu-compute, profile: compute-headless, gpus: ["0000:41:00.0"], vcpus: 4, memory: 4GiB}
              - {name: b, host: h1, template: gpu-compute, profile: compute-headless, gpus: ["0000:21:00.0"], vcpus: 4, memory: 4GiB}
              - {name: c, host: h1, template: gpu-compute, profile: compute-headless, vcpus: 2, memory: 2GiB}
            """;

    private ProvisionPlanner memoised() {
        return new ProvisionPlanner(TemplateCatalogue.builtin(), RuleCatalogue.builtin(), "m.yaml", dir.resolve("memo"));
    }

    private List<VmPlan> planWith(ProvisionPlanner p, String yaml, HostFacts h) {
        return p.plan(new ManifestReader("m.yaml").read(yaml), Map.of("h1", h));
    }

    @Test
    void aSecondPlanOfTheSameManifestComesFromTheMemoAndEqualsAFullPlan() {
        HostFacts h = facts(Map.of(), Map.of(), Set.of());
        List<VmPlan> full = plan(THREE, h);
        ProvisionPlanner first = memoised();
        assertThat(planWith(first, THREE, h)).isEqualTo(full);
        assertThat(first.memoHits()).isZero();
        ProvisionPlanner second = memoised();
        assertThat(planWith(second, THREE, h)).isEqualTo(full);
        assertThat(second.memoHits()).isEqualTo(3);
        assertThat(full.get(0).xml()).contains("<vcpupin");
    }

    @Test
    void aPlannerThatPlansTwiceReadsTheMemoItsFirstPlanWroteNotTheOneReadAhead() {
        HostFacts h = facts(Map.of(), Map.of(), Set.of());
        ProvisionPlanner p = memoised();
        planWith(p, THREE, h);
        assertThat(p.memoHits()).isZero();
        assertThat(planWith(p, THREE, h)).isEqualTo(plan(THREE, h));
        assertThat(p.memoHits()).isEqualTo(3);
    }

    @Test
    void aChangedVmIsPlannedAgainAndSoIsEveryVmAfterItOnItsHost() {
        HostFacts h = facts(Map.of(), Map.of(), Set.of());
        planWith(memoised(), THREE, h);
        String lastChanged = THREE.replace("vcpus: 2, memory: 2GiB", "vcpus: 2, memory: 3GiB");
        ProvisionPlanner p = memoised();
        assertThat(planWith(p, lastChanged, h)).isEqualTo(plan(lastChanged, h));
        assertThat(p.memoHits()).isEqualTo(2);
        // the first VM's cores change what is free for the ones after it: none of them may come from the memo
        String firstChanged = THREE.replaceFirst("vcpus: 4", "vcpus: 6");
        ProvisionPlanner q = memoised();
        assertThat(planWith(q, firstChanged, h)).isEqualTo(plan(firstChanged, h));
        assertThat(q.memoHits()).isZero();
    }

    @Test
    void passthroughVmsThatWithOtherVfioDomainsWouldLockMoreThanTheHostsRamAreRefusedFromTheMemoToo() {
        // the EPYC server: 504 GiB of RAM (MemTotal); each VM passes a GPU, so each locks all its memory
        String three = """
                hosts: {h1: demo}
                vms:
                  - {name: a, host: h1, template: gpu-compute, gpus: [0000:01:00.0], memory: 200GiB, pin: false}
                  - {name: b, host: h1, template: gpu-compute, gpus: [0000:21:00.0], memory: 200GiB, pin: false}
                  - {name: c, host: h1, template: gpu-compute, gpus: [0000:41:00.0], memory: 100GiB, pin: false}
                """;
        HostFacts h = facts(Map.of(), Map.of(), Set.of());
        assertThat(plan(three, h)).hasSize(3);
        String tooMuch = three.replace("memory: 100GiB", "memory: 120GiB");
        assertThatThrownBy(() -> plan(tooMuch, h)).hasMessage("m.yaml:5: VM c: memory: this VM's 120GiB, locked for its passthrough"
                + " devices, and the 400GiB that other VFIO guests lock on h1 (its domains and the VMs above) are more than its 504GiB"
                + " of RAM: over-commit refused");
        // a domain the manifest does not describe, passing a device, locks its memory too; the manifest's own VMs are re-placed
        HostFacts other = new HostFacts("h1", "test:///default", "kvm", epyc, target, Map.of(), Map.of(), Map.of(), Set.of(),
                dev.vfiokit.tuning.NumaLedger.NONE, null, Map.of("render-01", 16L * 1024 * 1024, "a", 200L * 1024 * 1024));
        assertThatThrownBy(() -> plan(three, other)).hasMessageContaining("VM c: memory: this VM's 100GiB")
                .hasMessageContaining("the 416GiB that other VFIO guests lock");
        // planned once with room, then again from the memo where another domain took the room: refused as without it
        planWith(memoised(), three, h);
        ProvisionPlanner again = memoised();
        assertThatThrownBy(() -> planWith(again, three, other)).hasMessageContaining("the 416GiB that other VFIO guests lock");
        assertThat(again.memoHits()).isEqualTo(2);
        // VMs without passthrough devices lock nothing: libvirt over-commits their memory as the admin chose
        assertThat(plan(three.replaceAll("gpus: \\[[^]]*\\], ", ""), other)).hasSize(3);
    }

    @Test
    void aDeviceAnotherDomainTookSinceTheLastPlanIsRefusedAsWithoutTheMemo() {
        planWith(memoised(), THREE, facts(Map.of(), Map.of(), Set.of()));
        HostFacts later = facts(Map.of(PciAddress.parse("0000:41:00.0"), "someone-else"), Map.of(), Set.of());
        assertThatThrownBy(() -> planWith(memoised(), THREE, later))
                .hasMessageStartingWith("m.yaml:3: VM a: 0000:41:00.0 is taken");
    }

    @Test
    void aMemoThatIsNotWholeIsNoMemoAndIsWrittenAgain() throws Exception {
        HostFacts h = facts(Map.of(), Map.of(), Set.of());
        planWith(memoised(), THREE, h);
        Path memo;
        try (var files = java.nio.file.Files.list(dir.resolve("memo"))) {
            memo = files.filter(f -> f.toString().endsWith(".memo")).findFirst().orElseThrow();
        }
        assertThat(java.nio.file.Files.getPosixFilePermissions(memo))
                .containsExactlyInAnyOrder(java.nio.file.attribute.PosixFilePermission.OWNER_READ, java.nio.file.attribute.PosixFilePermission.OWNER_WRITE);
        String text = java.nio.file.Files.readString(memo);
        // a damaged XML under the old checksum: the file is not what the last plan wrote
        java.nio.file.Files.writeString(memo, text.replaceFirst("\\t([A-Za-z0-9+/=]+)\\n", "\\tPGRvbWFpbi8+\\n"));
        ProvisionPlanner p = memoised();
        assertThat(planWith(p, THREE, h)).isEqualTo(plan(THREE, h));
        assertThat(p.memoHits()).isZero();
        java.nio.file.Files.writeString(memo, "garbage");
        ProvisionPlanner q = memoised();
        assertThat(planWith(q, THREE, h)).isEqualTo(plan(THREE, h));
        assertThat(q.memoHits()).isZero();
        assertThat(java.nio.file.Files.readString(memo)).startsWith("vfiokit provision memo 2\n");
        ProvisionPlanner r = memoised();
        planWith(r, THREE, h);
        assertThat(r.memoHits()).isEqualTo(3);
    }

    @Test
    void aMemoAnotherUserCouldHaveWrittenIsNoMemo() throws Exception {
        HostFacts h = facts(Map.of(), Map.of(), Set.of());
        planWith(memoised(), THREE, h);
        Path memo;
        try (var files = java.nio.file.Files.list(dir.resolve("memo"))) {
            memo = files.filter(f -> f.toString().endsWith(".memo")).findFirst().orElseThrow();
        }
        java.nio.file.Files.setPosixFilePermissions(memo, java.nio.file.attribute.PosixFilePermissions.fromString("rw--w----"));
        ProvisionPlanner groupWritable = memoised();
        assertThat(planWith(groupWritable, THREE, h)).isEqualTo(plan(THREE, h));
        assertThat(groupWritable.memoHits()).isZero();
        // written again by this plan, 0600: the next one takes it
        assertThat(java.nio.file.Files.getPosixFilePermissions(memo)).hasSize(2);
        ProvisionPlanner again = memoised();
        planWith(again, THREE, h);
        assertThat(again.memoHits()).isEqualTo(3);
        java.nio.file.Files.setPosixFilePermissions(dir.resolve("memo"), java.nio.file.attribute.PosixFilePermissions.fromString("rwxrwx---"));
        ProvisionPlanner openDirectory = memoised();
        planWith(openDirectory, THREE, h);
        assertThat(openDirectory.memoHits()).isZero();
        java.nio.file.Files.setPosixFilePermissions(dir.resolve("memo"), java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
        if ("root".equals(System.getProperty("user.name"))) {
            // as root (CI): a memo owned by another user is not read, even 0600
            ProvisionPlanner fill = memoised();
            planWith(fill, THREE, h);
            java.nio.file.Files.setAttribute(memo, "unix:uid", 65534);
            ProvisionPlanner foreign = memoised();
            planWith(foreign, THREE, h);
            assertThat(foreign.memoHits()).isZero();
        }
    }

    @Test
    void canonicalTextIsTheSameForEqualHostReadsAndSetsInAnyOrderAndRefusesWhatItCannotWrite() {
        HostSnapshot again = new HostSnapshotReader(new HostRoot(dir)).read("epyc");
        assertThat(CanonicalText.of(again)).isEqualTo(CanonicalText.of(epyc)).contains("nvidia-223");
        assertThat(CanonicalText.of(new java.util.LinkedHashSet<>(List.of("x", "y"))))
                .isEqualTo(CanonicalText.of(new java.util.LinkedHashSet<>(List.of("y", "x"))));
        assertThat(CanonicalText.of(List.of("a,b"))).isNotEqualTo(CanonicalText.of(List.of("a", "b")));
        assertThat(CanonicalText.of(Map.of("k", 1))).isNotEqualTo(CanonicalText.of(Map.of("k", 1L)));
        assertThatThrownBy(() -> CanonicalText.of(List.of(new Object()))).isInstanceOf(CanonicalText.NotCanonical.class);
    }

    // a domain read into the tuner from the JAXB marshaller's events (no text written) tunes exactly as its text does

    /** The domain as provisioning drafts it: generated, vfiokit's mark taken off (it goes on as text after tuning). */
    private Domain domain(Template t, String name) {
        List<PciAddress> gpus = epyc.gpus().stream().limit(1).map(g -> g.address()).toList();
        DomainRequest req = new DomainRequest(t.name(), name, "kvm", 4, "4GiB", null, t.name().contains("gpu") ? gpus : List.of(),
                List.of(), List.of(), true, null, false, Map.of(), List.of());
        Domain d = new DomainGenerator(epyc, Map.of()).domain(t, req);
        DomainOwner.unmark(d);
        d.description = ProvisionPlanner.STAMP + "pending";
        return d;
    }

    /** Tunes from events and from text; returns how often the events way asked for the text. */
    private int assertSameTuning(Domain d, Profile p) {
        AtomicInteger textAsked = new AtomicInteger();
        TuningInput events = TuningInput.ofEvents(h -> DomainXml.writeTo(d, h), DomainXml.INDENT_STEP, () -> {
            textAsked.incrementAndGet();
            return DomainXml.write(d);
        });
        Tuner tuner = new Tuner(RuleCatalogue.builtin());
        TuningResult fromEvents = tuner.tuneToDefine(events, p, epyc, NumaLedger.NONE);
        TuningResult fromText = tuner.tuneFile(DomainXml.write(d), null, p, epyc, NumaLedger.NONE);
        assertThat(fromEvents.tunedXml()).as(p.name()).isEqualTo(fromText.tunedXml());
        assertThat(fromEvents.outcomes()).extracting(RuleOutcome::status).isEqualTo(fromText.outcomes().stream().map(RuleOutcome::status).toList());
        assertThat(fromEvents.outcomes()).extracting(RuleOutcome::changes).isEqualTo(fromText.outcomes().stream().map(RuleOutcome::changes).toList());
        return textAsked.get();
    }

    @Test
    void everyBuiltinTemplateTunedFromItsEventsEqualsItsTextTunedWithEveryProfileAndNoTextIsWritten() {
        List<String> tuned = new ArrayList<>();
        for (Template t : TemplateCatalogue.builtin().all()) {
            Domain d;
            try {
                d = domain(t, "vm-" + t.name());
            } catch (IllegalArgumentException needsWhatTheFixtureLacks) {
                continue;
            }
            for (Profile p : RuleCatalogue.builtin().profiles()) {
                assertThat(assertSameTuning(d, p)).as(t.name() + " with " + p.name() + ": the text was written").isZero();
                tuned.add(t.name() + "/" + p.name());
            }
        }
        assertThat(tuned).as("templates tuned both ways").hasSizeGreaterThanOrEqualTo(2 * RuleCatalogue.builtin().profiles().size());
    }

    @Test
    void quotesMarkupNonAsciiAndNamespacesTakeTheTextWayAndTuneTheSame() {
        Template t = TemplateCatalogue.builtin().get("gpu-compute");
        Profile p = RuleCatalogue.builtin().profiles().get(0);
        for (String title : List.of("the \"blue\" one", "it's mine", "a & b <c>", "Grafikkarte für Ärzte", "tab\there")) {
            Domain d = domain(t, "vm-1");
            d.title = title;
            assertThat(assertSameTuning(d, p)).as(title).isEqualTo(1);
        }
        // vfiokit's mark, in its own namespace, as `domain generate` writes it
        Domain marked = new DomainGenerator(epyc, Map.of()).domain(t, new DomainRequest(t.name(), "vm-2", "kvm", 2, "2GiB", null,
                List.of(), List.of(), List.of(), true, null, false, Map.of(), List.of()));
        assertThat(DomainXml.write(marked)).contains("xmlns:vfiokit=");
        assertThat(assertSameTuning(marked, p)).isEqualTo(1);
    }
}
