package dev.vfiokit.tuning;

import dev.vfiokit.iommucheck.fixture.FixtureHosts;
import dev.vfiokit.iommucheck.fixture.HostTree;
import dev.vfiokit.iommucheck.host.HostRoot;
import dev.vfiokit.iommucheck.host.HostSnapshot;
import dev.vfiokit.iommucheck.host.HostSnapshotReader;
import org.junit.jupiter.api.BeforeAll;
import org.w3c.dom.Element;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every shipped rule, alone: where its condition holds (the change matches a golden diff) and where it does
 * not, or the work is already done (nothing changes).
 */
class RuleTest {
    @TempDir
    static Path dir;

    static HostSnapshot epyc;
    static HostSnapshot consumer;
    static HostSnapshot workstation;
    static final RuleCatalogue CATALOGUE = RuleCatalogue.builtin();

    @BeforeAll
    static void hosts() {
        epyc = read(FixtureHosts.epycServer(), "epyc");
        consumer = read(FixtureHosts.consumerBoard(), "consumer");
        workstation = read(FixtureHosts.intelWorkstation(), "ws");
    }

    static HostSnapshot read(HostTree t, String name) {
        t.writeTo(dir.resolve(name));
        return new HostSnapshotReader(new HostRoot(dir.resolve(name))).read(name);
    }

    static String input(String name) throws IOException {
        try (InputStream in = RuleTest.class.getResourceAsStream("/inputs/" + name + ".xml")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** The host CPUs of the vCPU pins, in vCPU order, whatever quotes the document uses. */
    static List<Integer> pins(String xml) {
        List<Integer> out = new java.util.ArrayList<>();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("<vcpupin vcpu=[\"']\\d+[\"'] cpuset=[\"'](\\d+)[\"']").matcher(xml);
        while (m.find()) {
            out.add(Integer.parseInt(m.group(1)));
        }
        return out;
    }

    static TuningResult only(String ruleId, String traits, String inputName, HostSnapshot host) throws IOException {
        Set<String> t = traits.isBlank() ? Set.of() : Set.of(traits.split(" "));
        Profile p = new Profile("only-" + ruleId, "", t, List.of(ruleId), "test");
        return new Tuner(CATALOGUE).tune(input(inputName), p, host);
    }

    @ParameterizedTest(name = "{0} applies to {2} [{1}]")
    @CsvSource({
            "remove-tablet, '', windows-gpu",
            "usb-none, '', plain-pc",
            "remove-sound, '', linux-gpu",
            "headless-no-graphics, headless, linux-gpu",
            "serial-console, headless, plain-pc",
            "balloon-none, '', linux-gpu",
            "disk-iothread, '', linux-gpu",
            "net-multiqueue, '', linux-gpu",
            "q35, '', plain-pc",
            "cpu-host-passthrough, '', linux-gpu",
            "vcpu-pinning, '', linux-gpu",
            "hugepages, '', linux-gpu",
            "vmport-off, '', linux-gpu",
            "nvidia-hide-kvm, hide-kvm, windows-gpu",
            "hyperv-enlightenments, '', windows-gpu",
            "ioapic-kvm, '', linux-gpu",
            "pmu-off, latency, linux-gpu",
            "hpet-off, '', linux-gpu",
            "hypervclock, '', windows-gpu"})
    void whenTheConditionHoldsTheRuleMakesExactlyItsGoldenChange(String rule, String traits, String inputName) throws Exception {
        TuningResult r = only(rule, traits, inputName, epyc);
        RuleOutcome o = r.outcomes().get(0);
        assertThat(o.status()).as(o.reason()).isEqualTo(RuleOutcome.Status.APPLIED);
        assertThat(o.changes()).isNotEmpty();
        Golden.assertMatches(rule + ".diff", r.diff());
        // and again on its own output: nothing more to do
        Profile p = new Profile("again", "", traits.isBlank() ? Set.of() : Set.of(traits.split(" ")), List.of(rule), "test");
        TuningResult again = new Tuner(CATALOGUE).tune(r.tunedXml(), p, epyc);
        assertThat(again.changed()).isFalse();
        assertThat(again.outcomes().get(0).status()).isIn(RuleOutcome.Status.UNCHANGED, RuleOutcome.Status.NOT_APPLICABLE);
    }

    @ParameterizedTest(name = "{0} leaves {2} alone [{1}] -> {3}")
    @CsvSource({
            "remove-tablet, '', plain-pc, UNCHANGED",
            "remove-tablet, '', linux-gpu, NOT_APPLICABLE",
            "nvidia-hide-kvm, '', windows-gpu, NOT_APPLICABLE",
            "usb-none, '', windows-gpu, NOT_APPLICABLE",
            "remove-sound, '', plain-pc, UNCHANGED",
            "headless-no-graphics, '', linux-gpu, NOT_APPLICABLE",
            "serial-console, '', plain-pc, NOT_APPLICABLE",
            "balloon-none, '', plain-pc, NOT_APPLICABLE",
            "disk-iothread, '', plain-pc, NOT_APPLICABLE",
            "net-multiqueue, '', windows-gpu, NOT_APPLICABLE",
            "q35, '', linux-gpu, NOT_APPLICABLE",
            "cpu-host-passthrough, '', plain-pc, NOT_APPLICABLE",
            "vcpu-pinning, '', plain-pc, NOT_APPLICABLE",
            "hugepages, '', plain-pc, NOT_APPLICABLE",
            "vmport-off, '', windows-gpu, UNCHANGED",
            "nvidia-hide-kvm, '', linux-gpu, NOT_APPLICABLE",
            "hyperv-enlightenments, '', linux-gpu, NOT_APPLICABLE",
            "ioapic-kvm, '', plain-pc, NOT_APPLICABLE",
            "pmu-off, '', linux-gpu, NOT_APPLICABLE",
            "hpet-off, '', windows-gpu, UNCHANGED",
            "hypervclock, '', linux-gpu, NOT_APPLICABLE"})
    void whenTheConditionDoesNotHoldOrTheWorkIsDoneNothingChanges(String rule, String traits, String inputName,
                                                                   RuleOutcome.Status expected) throws Exception {
        TuningResult r = only(rule, traits, inputName, epyc);
        assertThat(r.outcomes().get(0).status()).isEqualTo(expected);
        assertThat(r.changed()).isFalse();
        assertThat(r.diff()).isEmpty();
    }

    @Test
    void pinningOnTheDemoTopologyKeepsSiblingsTogetherOnTheGpusNodeAndLeavesACoreToTheHost() throws Exception {
        TuningResult r = only("vcpu-pinning", "", "linux-gpu", epyc);
        String x = r.tunedXml();
        // GPU 41:00.0 sits on node 1 (CPUs 16-31,48-63); core 16/48 stays with the host
        assertThat(x).contains("<vcpupin vcpu=\"0\" cpuset=\"17\"/>", "<vcpupin vcpu=\"1\" cpuset=\"49\"/>",
                "<vcpupin vcpu=\"6\" cpuset=\"20\"/>", "<vcpupin vcpu=\"7\" cpuset=\"52\"/>", "<emulatorpin cpuset=\"16,48\"/>",
                "<memory mode=\"strict\" nodeset=\"1\"/>");
        assertThat(x).doesNotContain("cpuset=\"16\" vcpu", "cpuset=\"48\" vcpu");
    }

    @Test
    void pinningNeverHandsOutACpuAnotherDomainIsPinnedTo() throws Exception {
        // trainer-01 already holds node 1's cores 17-20 (with their siblings 49-52), where the GPU 41:00.0 sits
        Element other = dev.vfiokit.iommucheck.input.SecureXml.parse("<domain><name>trainer-01</name><cputune>"
                + "<vcpupin vcpu='0' cpuset='17-20'/><vcpupin vcpu='1' cpuset='49-52'/><emulatorpin cpuset='16,48'/></cputune></domain>",
                "test").getDocumentElement();
        Element self = dev.vfiokit.iommucheck.input.SecureXml.parse("<domain><name>linux-gpu</name><cputune>"
                + "<vcpupin vcpu='0' cpuset='30'/></cputune></domain>", "test").getDocumentElement();
        NumaLedger others = NumaLedger.of(java.util.Map.of("trainer-01", other, "linux-gpu", self));
        Profile p = new Profile("pin", "", Set.of(), List.of("vcpu-pinning"), "test");
        TuningResult r = new Tuner(CATALOGUE).tuneFile(input("linux-gpu"), null, p, epyc, others);
        java.util.List<Integer> pins = pins(r.tunedXml());
        // the 3 free cores left in that CCX (21-23) cannot hold 4 cores: the guest takes the next CCX whole
        assertThat(pins).hasSize(8).doesNotContain(17, 18, 19, 20, 49, 50, 51, 52).containsExactly(24, 56, 25, 57, 26, 58, 27, 59);
        assertThat(r.outcomes().get(0).changes()).anySatisfy(c -> assertThat(c).contains("cores of trainer-01 avoided"));
        // the guest's own earlier pins (CPU 30) are its to keep, and the emulator shares the host's core
        assertThat(r.tunedXml()).contains("<emulatorpin cpuset=\"16,48\"/>");
    }

    @Test
    void tuningToDefineGivesTheSameDomainAndOutcomesWithoutTheOriginalOrItsDiff() throws Exception {
        Profile p = CATALOGUE.profile("balanced");
        TuningResult full = new Tuner(CATALOGUE).tuneFile(input("linux-gpu"), null, p, epyc, NumaLedger.NONE);
        TuningResult toDefine = new Tuner(CATALOGUE).tuneToDefine(TuningInput.of(input("linux-gpu")), p, epyc, NumaLedger.NONE);
        assertThat(full.changed()).isTrue();
        assertThat(toDefine.tunedXml()).isEqualTo(full.tunedXml());
        assertThat(toDefine.outcomes()).isEqualTo(full.outcomes());
        assertThat(toDefine.hostDevicesPassed()).isEqualTo(full.hostDevicesPassed());
        assertThat(toDefine.originalXml()).isNull();
        org.assertj.core.api.Assertions.assertThatThrownBy(toDefine::diff).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("no diff");
    }

    @Test
    void aGuestIsPinnedInsideOneL3CacheWhenOneHoldsIt() throws Exception {
        // EPYC 7543: CCXs of 8 cores; node 1 is CCX 16-23 (core 16 is the host's) and CCX 24-31
        String xml = input("linux-gpu").replace("<vcpu>8</vcpu>", "<vcpu>16</vcpu>");
        Profile p = new Profile("pin", "", Set.of(), List.of("vcpu-pinning"), "test");
        TuningResult r = new Tuner(CATALOGUE).tune(xml, p, epyc);
        java.util.List<Integer> pins = pins(r.tunedXml());
        // 8 cores: CCX 24-31 holds them all, where CPU order would take 17-24 across two caches
        assertThat(pins).hasSize(16).allSatisfy(c -> assertThat(c % 32).isBetween(24, 31));
        assertThat(r.outcomes().get(0).changes()).anySatisfy(c -> assertThat(c).contains("within one L3 cache, CPUs 24-31,56-63"));
        assertThat(epyc.cpuThreads().get(17).llcSiblings()).as("read from cache/index3/shared_cpu_list").containsExactly(16, 17, 18, 19, 20, 21, 22, 23,
                48, 49, 50, 51, 52, 53, 54, 55);
    }

    @Test
    void aGuestWhoseGpusSitOnTwoNodesGetsACellAndAnExpanderBusOnEach() {
        // 21:00.0 is on node 0, 41:00.0 on node 1 (EPYC fixture)
        String xml = "<domain type='kvm'><name>two</name><memory unit='GiB'>8</memory><vcpu>8</vcpu>"
                + "<os><type arch='x86_64' machine='q35'>hvm</type></os><cpu mode='host-passthrough'><topology sockets='1' dies='1' cores='4' threads='2'/></cpu>"
                + "<devices><controller type='pci' index='1' model='pcie-root-port'/><controller type='pci' index='2' model='pcie-root-port'/>"
                + "<hostdev mode='subsystem' type='pci' managed='yes'><source><address domain='0x0000' bus='0x21' slot='0x00' function='0x0'/></source>"
                + "<address type='pci' domain='0x0000' bus='0x01' slot='0x00' function='0x0'/></hostdev>"
                + "<hostdev mode='subsystem' type='pci' managed='yes'><source><address domain='0x0000' bus='0x41' slot='0x00' function='0x0'/></source>"
                + "<address type='pci' domain='0x0000' bus='0x02' slot='0x00' function='0x0'/></hostdev></devices></domain>";
        Profile p = new Profile("pin", "", Set.of(), List.of("vcpu-pinning"), "test");
        TuningResult r = new Tuner(CATALOGUE).tune(xml, p, epyc);
        assertThat(r.outcomes().get(0).status()).as(r.outcomes().get(0).reason()).isEqualTo(RuleOutcome.Status.APPLIED);
        String t = r.tunedXml();
        assertThat(t).contains("<vcpupin vcpu='0' cpuset='1'/>", "<vcpupin vcpu='4' cpuset='17'/>",
                "<cell id='0' cpus='0-3' memory='4194304' unit='KiB'/>", "<cell id='1' cpus='4-7' memory='4194304' unit='KiB'/>",
                "<memory mode='strict' nodeset='0,1'/>", "<memnode cellid='0' mode='strict' nodeset='0'/>", "<memnode cellid='1' mode='strict' nodeset='1'/>",
                "<topology sockets='2' dies='1' cores='2' threads='2'/>",
                "<controller type='pci' index='3' model='pcie-expander-bus'><target><node>0</node></target></controller>",
                "<controller type='pci' index='5' model='pcie-expander-bus'><target><node>1</node></target></controller>");
        assertThat(r.outcomes().get(0).changes()).contains("moved 0000:21:00.0 behind the expander bus of guest NUMA cell 0",
                "moved 0000:41:00.0 behind the expander bus of guest NUMA cell 1");
        assertThat(new Tuner(CATALOGUE).tune(t, p, epyc).changed()).as("idempotent").isFalse();
        assertThat(new Tuner(CATALOGUE).tune(xml.replace("<vcpu>8</vcpu>", "<vcpu>7</vcpu>"), p, epyc).outcomes().get(0).reason())
                .contains("7 vCPUs do not split evenly over nodes [0, 1]");
    }

    @Test
    void pinningOnAHostWithTooFewCoresIsReportedWithTheReasonAndChangesNothing() throws Exception {
        // the workstation has 8 cores / 16 threads on one node: one core for the host leaves 14 threads for 16 vCPUs
        String xml = input("linux-gpu").replace("<vcpu>8</vcpu>", "<vcpu>16</vcpu>")
                .replace("bus=\"0x41\"", "bus=\"0x01\"");
        Profile p = new Profile("pin", "", Set.of(), List.of("vcpu-pinning", "hugepages"), "test");
        TuningResult r = new Tuner(CATALOGUE).tune(xml, p, workstation);
        RuleOutcome pin = r.outcomes().get(0);
        assertThat(pin.status()).isEqualTo(RuleOutcome.Status.CANNOT_APPLY);
        assertThat(pin.reason()).contains("node 0 has 7 free cores (14 threads, one core kept for the host); the guest has 16 vCPUs");
        assertThat(r.tunedXml()).doesNotContain("vcpupin", "numatune");
        // the next rule still runs: the workstation has 16 x 1G pages free
        assertThat(r.outcomes().get(1).status()).isEqualTo(RuleOutcome.Status.APPLIED);
        assertThat(r.tunedXml()).contains("<page size=\"1048576\" unit=\"KiB\"/>");
    }

    @Test
    void hugepagesAre1GWhereFreeOnTheGpusNode2MElseAndReportedWhenNoneAreFree() throws Exception {
        String node0 = input("linux-gpu").replace("bus=\"0x41\"", "bus=\"0x01\"");
        Profile p = new Profile("hp", "", Set.of(), List.of("hugepages"), "test");
        assertThat(new Tuner(CATALOGUE).tune(node0, p, epyc).tunedXml()).contains("<page size=\"1048576\" unit=\"KiB\"/>", "<locked/>");
        assertThat(only("hugepages", "", "linux-gpu", epyc).tunedXml()).contains("<page size=\"2048\" unit=\"KiB\"/>");
        RuleOutcome none = new Tuner(CATALOGUE).tune(input("linux-gpu"), p, consumer).outcomes().get(0);
        assertThat(none.status()).isEqualTo(RuleOutcome.Status.CANNOT_APPLY);
        assertThat(none.reason()).contains("not enough free hugepages for 8192 MiB");
        // QEMU refuses a guest smaller than its page and rounds others up (seen on qemu-system-x86_64 with a 1G hugetlbfs:
        // "memory size 0x10000000 must be equal to or larger than page size 0x40000000"): 1G pages back whole GiB only
        for (String size : List.of("256", "1536")) {
            String odd = node0.replaceFirst("<memory unit=\"[^\"]*\">[^<]*</memory>", "<memory unit=\"MiB\">" + size + "</memory>");
            assertThat(odd).as("the input's memory").contains("<memory unit=\"MiB\">" + size + "</memory>");
            // node 0 has 64 free 1G pages and no 2M ones: no page it has can back this guest
            RuleOutcome o = new Tuner(CATALOGUE).tune(odd, p, epyc).outcomes().get(0);
            assertThat(o.status()).as(size + " MiB").isEqualTo(RuleOutcome.Status.CANNOT_APPLY);
            assertThat(o.reason()).contains("not enough free hugepages for " + size + " MiB (0 x 2M, 64 x 1G free)",
                    "hugepages-2048kB/nr_hugepages").doesNotContain("hugepagesz=1G");
        }
    }

    @Test
    void aDomainThatPassesADeviceTheHostRunsOnIsReportedWhateverTheRulesDo() {
        String xml = "<domain type='kvm'><name>x</name><memory unit='MiB'>1024</memory><vcpu>2</vcpu>"
                + "<os><type arch='x86_64' machine='q35'>hvm</type></os><devices>"
                + "<hostdev mode='subsystem' type='pci' managed='yes'><source><address domain='0x0000' bus='0xc3' slot='0x00' function='0x0'/></source></hostdev>"
                + "<interface type='hostdev'><source><address type='pci' domain='0x0000' bus='0xc4' slot='0x00' function='0x3'/></source></interface>"
                + "<hostdev mode='subsystem' type='pci' managed='yes'><source><address domain='0x0000' bus='0x41' slot='0x00' function='0x0'/></source></hostdev>"
                + "</devices></domain>";
        TuningResult r = new Tuner(CATALOGUE).tune(xml, "balanced", epyc);
        assertThat(r.passesHostDevices()).isTrue();
        assertThat(r.hostDevicesPassed()).containsExactly(
                "0000:c3:00.0 carries the default route (eno1): the host needs it, and this domain passes it to its guest",
                "0000:c4:00.3 is a USB controller (xhci_hcd): the host needs it, and this domain passes it to its guest");
        assertThat(new Tuner(CATALOGUE).tune(xml, "balanced", null).hostDevicesPassed()).as("no host facts, no claim").isEmpty();
    }

    @Test
    void x86OnlyRulesDoNotApplyToOtherArchitecturesAndCreatedElementsCarryWhatTheSchemaRequires() {
        String arm = "<domain type='kvm'><name>a</name><memory unit='MiB'>1024</memory>"
                + "<os><type arch='aarch64' machine='virt'>hvm</type></os><devices/></domain>";
        TuningResult r = new Tuner(CATALOGUE).tune(arm, "balanced", epyc);
        assertThat(r.tunedXml()).doesNotContain("vmport", "hpet", "<clock");
        assertThat(r.outcomes()).filteredOn(o -> o.rule().id().equals("hpet-off")).singleElement()
                .satisfies(o -> assertThat(o.status()).isEqualTo(RuleOutcome.Status.NOT_APPLICABLE));
        String x86 = arm.replace("arch='aarch64' machine='virt'", "arch='x86_64' machine='q35'");
        assertThat(new Tuner(CATALOGUE).tune(x86, "balanced", epyc).tunedXml())
                .contains("<clock offset='utc'>", "<timer name='hpet' present='no'/>");
        String gpu = x86.replace("<devices/>", "<devices><hostdev mode='subsystem' type='pci' managed='yes'><source>"
                + "<address domain='0x0000' bus='0x41' slot='0x00' function='0x0'/></source></hostdev></devices>");
        assertThat(new Tuner(CATALOGUE).tune(gpu, "compute-headless", epyc).tunedXml()).as("no <vcpu> is one vCPU")
                .contains("<vcpu placement='static'>1</vcpu>");
        TuningResult auto = new Tuner(CATALOGUE).tune(gpu.replace("<memory unit='MiB'>1024</memory>",
                "<memory unit='MiB'>1024</memory><vcpu placement='auto'>4</vcpu><numatune><memory mode='strict' placement='auto'/></numatune>"),
                "compute-headless", epyc);
        assertThat(auto.outcomes()).filteredOn(o -> o.rule().id().equals("vcpu-pinning")).singleElement()
                .satisfies(o -> assertThat(o.reason()).contains("placement='auto'"));
        assertThat(auto.tunedXml()).doesNotContain("nodeset", "vcpupin");
    }

    @Test
    void pinningDoesNotBindAGuestStrictlyToANodeWithLessMemoryThanTheGuest() {
        String gpu = "<domain type='kvm'><name>g</name><memory unit='GiB'>300</memory><vcpu>4</vcpu>"
                + "<os><type arch='x86_64' machine='q35'>hvm</type></os><devices>"
                + "<hostdev mode='subsystem' type='pci' managed='yes'><source><address domain='0x0000' bus='0x41' slot='0x00' function='0x0'/></source></hostdev>"
                + "</devices></domain>";
        // the EPYC server's nodes have 252 GiB each (MemTotal); the GPU at 41:00.0 is on node 1
        TuningResult r = new Tuner(CATALOGUE).tune(gpu, "compute-headless", epyc);
        assertThat(r.outcomes()).filteredOn(o -> o.rule().id().equals("vcpu-pinning")).singleElement().satisfies(o -> {
            assertThat(o.status()).isEqualTo(RuleOutcome.Status.CANNOT_APPLY);
            assertThat(o.reason()).isEqualTo("the guest's memory (307200 MiB) is more than node 1 has (258048 MiB): bound strictly there"
                    + " it could never be allocated");
        });
        assertThat(r.tunedXml()).doesNotContain("<numatune", "<vcpupin");
        TuningResult fits = new Tuner(CATALOGUE).tune(gpu.replace(">300<", ">200<"), "compute-headless", epyc);
        assertThat(fits.tunedXml()).contains("<memory mode='strict' nodeset='1'/>");
    }

    @Test
    void aHeadlessProfileThatRemovesTheGraphicsTurnsAnMdevsDisplayOff() {
        String xml = "<domain type='kvm'><name>v</name><memory unit='MiB'>1024</memory><vcpu>2</vcpu>"
                + "<os><type arch='x86_64' machine='q35'>hvm</type></os><devices><graphics type='vnc'/>"
                + "<hostdev mode='subsystem' type='mdev' model='vfio-pci' display='on' ramfb='on'><source>"
                + "<address uuid='b8a7d9e2-6c1f-4e0a-9d3b-2f6a1c4e5d70'/></source></hostdev></devices></domain>";
        TuningResult result = new Tuner(CATALOGUE).tune(xml, "compute-headless", epyc);
        assertThat(result.tunedXml()).doesNotContain("<graphics").contains("display='off'", "ramfb='off'");
        // each change names the element as it was before that change, so the old value shows beside the new
        assertThat(result.outcomes()).filteredOn(o -> o.rule().id().equals("headless-no-graphics")).singleElement()
                .satisfies(o -> assertThat(o.changes()).contains(
                        "set ramfb='off' on <hostdev display='on' mode='subsystem' model='vfio-pci' ramfb='on' type='mdev'>"));
    }

    @Test
    void multiqueueOnlyForTapInterfacesAndNoInKernelIoapicBesideAnInterruptRemappingViommu() {
        String xml = "<domain type='kvm'><name>n</name><memory unit='MiB'>1024</memory><vcpu>4</vcpu>"
                + "<os><type arch='x86_64' machine='q35'>hvm</type></os><features><ioapic driver='qemu'/></features><devices>"
                + "<interface type='user'><model type='virtio'/></interface>"
                + "<interface type='network'><source network='default'/><model type='virtio'/></interface>"
                + "<hostdev mode='subsystem' type='pci' managed='yes'><source><address domain='0x0000' bus='0x41' slot='0x00' function='0x0'/></source></hostdev>"
                + "<iommu model='intel'><driver intremap='on'/></iommu></devices></domain>";
        String tuned = new Tuner(CATALOGUE).tune(xml, "nfv", epyc).tunedXml();
        assertThat(tuned).containsOnlyOnce("queues=").contains("<ioapic driver='qemu'/>");
        assertThat(tuned.substring(tuned.indexOf("type='user'"), tuned.indexOf("type='network'"))).doesNotContain("queues");
    }

    @Test
    void aGuestStaysWhatItWasAfterKvmHidingAddsAHyperVVendorId() {
        String linux = "<domain type='kvm'><name>l</name><memory unit='MiB'>1024</memory><vcpu>4</vcpu>"
                + "<os><type arch='x86_64' machine='q35'>hvm</type></os><devices>"
                + "<hostdev mode='subsystem' type='pci' managed='yes'><source><address domain='0x0000' bus='0x41' slot='0x00' function='0x0'/></source></hostdev>"
                + "</devices></domain>";
        assertThat(new Tuner(CATALOGUE).tune(linux, "gpu-desktop", epyc).tunedXml()).as("KVM is hidden only when asked")
                .doesNotContain("<hidden", "<vendor_id", "<hyperv");
        Profile asked = CATALOGUE.profile("gpu-desktop").withTrait("hide-kvm");
        String tuned = new Tuner(CATALOGUE).tune(linux, asked, epyc).tunedXml();
        assertThat(tuned).contains("<hidden state='on'/>", "<vendor_id").doesNotContain("<synic", "<relaxed", "hypervclock");
        // tuned again, the vendor_id it added does not make the guest Windows
        TuningResult again = new Tuner(CATALOGUE).tune(tuned, asked, epyc);
        assertThat(again.changed()).isFalse();
    }

    @Test
    void anOddVcpuCountGetsACoreEachAndAnMdevGuestLivesOnItsParentsNode() {
        String five = "<domain type='kvm'><name>o</name><memory unit='MiB'>1024</memory><vcpu>5</vcpu>"
                + "<os><type arch='x86_64' machine='q35'>hvm</type></os><devices>"
                + "<hostdev mode='subsystem' type='pci' managed='yes'><source><address domain='0x0000' bus='0x41' slot='0x00' function='0x0'/></source></hostdev>"
                + "</devices></domain>";
        String tuned = new Tuner(CATALOGUE).tune(five, "compute-headless", epyc).tunedXml();
        java.util.List<Integer> pins = pins(tuned);
        assertThat(pins).hasSize(5);
        java.util.Set<java.util.List<Integer>> cores = new java.util.HashSet<>();
        for (int cpu : pins) {
            cores.add(epyc.cpuThreads().stream().filter(t -> t.cpu() == cpu).findFirst().orElseThrow().siblings().stream().sorted().toList());
        }
        assertThat(cores).as("five vCPUs on five distinct physical cores").hasSize(5);

        String vgpu = five.replace("<hostdev mode='subsystem' type='pci' managed='yes'><source><address domain='0x0000' bus='0x41' slot='0x00' function='0x0'/></source></hostdev>",
                "<hostdev mode='subsystem' type='mdev' model='vfio-pci'><source><address uuid='b8a7d9e2-6c1f-4e0a-9d3b-2f6a1c4e5d70'/></source></hostdev>");
        assertThat(new Tuner(CATALOGUE).tune(vgpu, "compute-headless", epyc).tunedXml()).as("the T4 parent is on node 1")
                .contains("<memory mode='strict' nodeset='1'/>");
    }

    @Test
    void elementsNoRuleNamesAreKept() throws Exception {
        TuningResult r = new Tuner(CATALOGUE).tune(input("linux-gpu"), "compute-headless", epyc);
        assertThat(r.tunedXml()).contains("<app:note xmlns:app=\"http://example.com/app/1\">kept as is</app:note>",
                "<libosinfo:os id=\"http://debian.org/debian/12\"/>", "<source file=\"/var/lib/libvirt/images/linux-gpu.qcow2\"/>");
    }

    @Test
    void theTunedOutputKeepsTheInputsAttributeOrderQuotesAndLayoutWhereNoRuleTouchedIt() {
        // as virsh dumpxml writes it: single quotes, libvirt's attribute order, a comment, a blank line
        String dumpxml = """
                <!--
                WARNING: THIS IS AN AUTO-GENERATED FILE.
                -->
                <domain type='kvm' id='3'>
                  <name>g</name>
                  <memory unit='KiB'>4194304</memory>
                  <vcpu placement='static'>4</vcpu>
                  <os>
                    <type arch='x86_64' machine='pc-q35-7.2'>hvm</type>
                  </os>

                  <clock offset='utc'/>
                  <devices>
                    <disk type='file' device='disk'>
                      <driver name='qemu' type='qcow2'/>
                      <source file='/var/lib/libvirt/images/g.qcow2'/>
                      <target dev='vda' bus='virtio'/>
                    </disk>
                    <input type='tablet' bus='usb'>
                      <address type='usb' bus='0' port='1'/>
                    </input>
                    <hostdev mode='subsystem' type='pci' managed='yes'>
                      <source>
                        <address domain='0x0000' bus='0x41' slot='0x00' function='0x0'/>
                      </source>
                    </hostdev>
                  </devices>
                </domain>
                """;
        Profile removeTablet = new Profile("only-remove-tablet", "", Set.of("headless"), List.of("remove-tablet"), "test");
        TuningResult r = new Tuner(CATALOGUE).tune(dumpxml, removeTablet, epyc);
        assertThat(r.originalXml()).as("an input no rule touched is written back as it came").isEqualTo(dumpxml);
        assertThat(r.tunedXml()).isEqualTo(dumpxml.replace("""
                    <input type='tablet' bus='usb'>
                      <address type='usb' bus='0' port='1'/>
                    </input>
                """, ""));

        Profile hpet = new Profile("only-hpet-off", "", Set.of(), List.of("hpet-off"), "test");
        String tuned = new Tuner(CATALOGUE).tune(dumpxml, hpet, epyc).tunedXml();
        assertThat(tuned).as("an element a rule adds is indented like its siblings").contains("""
                  <clock offset='utc'>
                    <timer name='hpet' present='no'/>
                  </clock>
                  <devices>
                """).contains("<disk type='file' device='disk'>", "<address domain='0x0000' bus='0x41' slot='0x00' function='0x0'/>");

        String oneLine = "<domain type=\"kvm\"><name>c</name><memory unit=\"MiB\">512</memory>"
                + "<os><type arch=\"x86_64\" machine=\"q35\">hvm</type></os><clock offset=\"utc\"/><devices/></domain>\n";
        assertThat(new Tuner(CATALOGUE).tune(oneLine, hpet, epyc).tunedXml()).as("a compact document stays compact")
                .isEqualTo(oneLine.replace("<clock offset=\"utc\"/>", "<clock offset=\"utc\"><timer name=\"hpet\" present=\"no\"/></clock>"));
    }

    @Test
    void elementsTheInputWroteOnOneLineStayOnItAndAnAddedSiblingGetsALineOfItsOwn() {
        // as virt-manager's tests write them (xmlparse/change-redirdev-in.xml)
        String xml = """
                <domain type="kvm">
                  <name>g</name>
                  <memory>1048576</memory>
                  <vcpu>2</vcpu>
                  <os>
                    <type arch="x86_64" machine="q35">hvm</type>
                  </os>
                  <features>
                    <acpi/><apic/><pae/>
                  </features>
                  <devices>
                    <disk type="file" device="disk"><source file="/d.img"/><target dev="vda" bus="virtio"/></disk>
                  </devices>
                </domain>
                """;
        Tuner tuner = new Tuner(CATALOGUE);
        assertThat(tuner.tune(xml, new Profile("none", "", Set.of(), List.of(), "test"), epyc).tunedXml()).isEqualTo(xml);
        String tuned = tuner.tune(xml, "nfv", epyc).tunedXml();
        assertThat(tuned).contains("""
                  <features>
                    <acpi/><apic/><pae/>
                    <vmport state="off"/>
                """);
    }

    @Test
    void everyRuleStatesItsArchitecturesAndARuleForAnotherArchitectureSaysSo() {
        assertThat(CATALOGUE.rules()).filteredOn(r -> Set.of("vmport-off", "hpet-off", "hyperv-enlightenments", "hypervclock",
                "ioapic-kvm", "nvidia-hide-kvm", "q35").contains(r.id())).hasSize(7)
                .allSatisfy(r -> assertThat(r.archesText()).isEqualTo("i686 x86_64"));
        String arm = "<domain type='kvm'><name>a</name><memory unit='MiB'>1024</memory><vcpu>2</vcpu>"
                + "<os><type arch='aarch64' machine='virt'>hvm</type></os><devices>"
                + "<hostdev mode='subsystem' type='pci' managed='yes'><source><address domain='0x0000' bus='0x41' slot='0x00' function='0x0'/></source></hostdev>"
                + "</devices></domain>";
        TuningResult r = new Tuner(CATALOGUE).tune(arm, "gpu-desktop", epyc);
        assertThat(r.outcomes()).filteredOn(o -> o.rule().id().equals("ioapic-kvm")).singleElement().satisfies(o -> {
            assertThat(o.status()).isEqualTo(RuleOutcome.Status.NOT_APPLICABLE);
            assertThat(o.reason()).isEqualTo("for i686 x86_64 guests; this guest is aarch64");
        });
        assertThat(r.tunedXml()).as("host-passthrough on arm64, without the x86-only <cache>")
                .contains("mode='host-passthrough'").doesNotContain("<cache", "<ioapic", "<hyperv", "hpet");
    }

    @Test
    void hugepagesAlreadyConfiguredAreCheckedAgainstTheNodesFreePages() {
        // as sriov-nfv writes it: 2M pages; the GPU 41:00.0 is on node 1, which has 4096 x 2M (8 GiB) free
        String xml = "<domain type='kvm'><name>h</name><memory unit='GiB'>64</memory><vcpu>4</vcpu>"
                + "<memoryBacking><hugepages><page size='2' unit='M'/></hugepages><locked/></memoryBacking>"
                + "<os><type arch='x86_64' machine='q35'>hvm</type></os><devices>"
                + "<hostdev mode='subsystem' type='pci' managed='yes'><source><address domain='0x0000' bus='0x41' slot='0x00' function='0x0'/></source></hostdev>"
                + "</devices></domain>";
        Profile p = new Profile("pages", "", Set.of(), List.of("hugepages"), "test");
        RuleOutcome big = new Tuner(CATALOGUE).tune(xml, p, epyc).outcomes().get(0);
        assertThat(big.status()).as("64 GiB on 8 GiB of free pages would not start").isEqualTo(RuleOutcome.Status.CANNOT_APPLY);
        assertThat(big.reason()).contains("node 1 has not enough free hugepages for 65536 MiB", "4096 x 2M");
        RuleOutcome fits = new Tuner(CATALOGUE).tune(xml.replace("<memory unit='GiB'>64</memory>", "<memory unit='GiB'>4</memory>"), p, epyc)
                .outcomes().get(0);
        assertThat(fits.status()).isIn(RuleOutcome.Status.UNCHANGED, RuleOutcome.Status.APPLIED);
        // 1G pages the input asks for cannot back 512 MiB (node 0 has only 1G pages free): said, not kept to fail at start
        String small = xml.replace("<memory unit='GiB'>64</memory>", "<memory unit='MiB'>512</memory>")
                .replace("<page size='2' unit='M'/>", "<page size='1' unit='G'/>").replace("bus='0x41'", "bus='0x01'");
        RuleOutcome tooBig = new Tuner(CATALOGUE).tune(small, p, epyc).outcomes().get(0);
        assertThat(tooBig.status()).isEqualTo(RuleOutcome.Status.CANNOT_APPLY);
        assertThat(tooBig.reason()).isEqualTo("the domain's 1024 MiB hugepages cannot back its 512 MiB: QEMU refuses guest memory smaller"
                + " than its page; give it whole pages of memory or 2M pages");
    }

    @Test
    void aPinnedHostPassthroughGuestIsToldItsCpusAreDedicated() {
        String xml = "<domain type='kvm'><name>d</name><memory unit='GiB'>4</memory><vcpu>4</vcpu>"
                + "<os><type arch='x86_64' machine='q35'>hvm</type></os><devices>"
                + "<hostdev mode='subsystem' type='pci' managed='yes'><source><address domain='0x0000' bus='0x41' slot='0x00' function='0x0'/></source></hostdev>"
                + "</devices></domain>";
        String tuned = new Tuner(CATALOGUE).tune(xml, "compute-headless", epyc).tunedXml();
        assertThat(tuned).contains("<hint-dedicated state='on'/>", "mode='host-passthrough'");
        Profile pinOnly = new Profile("pin", "", Set.of(), List.of("vcpu-pinning"), "test");
        assertThat(new Tuner(CATALOGUE).tune(xml, pinOnly, epyc).tunedXml()).as("libvirt takes the hint with host-passthrough only")
                .contains("<vcpupin").doesNotContain("hint-dedicated");
    }

    @Test
    void aDomainPassingOnlyFunctionZeroOfAGpuGetsItsOtherFunctionsInTheSameGuestSlot() throws Exception {
        String onlyGpu = input("linux-gpu").replace("""
                    <hostdev mode="subsystem" type="pci" managed="yes">
                      <source>
                        <address domain="0x0000" bus="0x41" slot="0x00" function="0x1"/>
                      </source>
                    </hostdev>
                """, "").replace("""
                        <address domain="0x0000" bus="0x41" slot="0x00" function="0x0"/>
                      </source>
                """, """
                        <address domain="0x0000" bus="0x41" slot="0x00" function="0x0"/>
                      </source>
                      <address type="pci" domain="0x0000" bus="0x05" slot="0x00" function="0x0"/>
                """);
        assertThat(onlyGpu).doesNotContain("function=\"0x1\"");
        TuningResult r = only("whole-device", "", "linux-gpu", epyc);
        assertThat(r.outcomes().get(0).status()).as("both functions passed already").isEqualTo(RuleOutcome.Status.UNCHANGED);
        Profile p = new Profile("only-whole-device", "", Set.of(), List.of("whole-device"), "test");
        TuningResult fixed = new Tuner(CATALOGUE).tune(onlyGpu, p, epyc);
        assertThat(fixed.outcomes().get(0).changes()).containsExactly(
                "added 0000:41:00.1 (audio): the functions of 0000:41:00 go to one guest together, in its guest slot",
                "set multifunction='on' on <address>");
        assertThat(fixed.tunedXml()).contains("""
                      <address type="pci" domain="0x0000" bus="0x05" slot="0x00" function="0x0" multifunction="on"/>
                    </hostdev>
                    <hostdev mode="subsystem" type="pci" managed="yes">
                      <source>
                        <address domain="0x0000" bus="0x41" slot="0x00" function="0x1"/>
                      </source>
                      <address type="pci" domain="0x0000" bus="0x05" slot="0x00" function="0x1"/>
                    </hostdev>
                """);
        assertThat(new Tuner(CATALOGUE).tune(fixed.tunedXml(), p, epyc).changed()).isFalse();
    }

    /** What libvirt's QEMU driver refused in libvirt's own corpus (LibvirtCorpusTest), each case as small as it gets. */
    @Test
    void aDomainLibvirtWroteOutAsPcQ35IsAlreadyQ35AndKeepsItsAddresses() {
        // libvirt expands machine='q35' to 'pc-q35-N' in every dumpxml: the q35 rule must leave it, its PCI addresses too
        String dumped = "<domain type='kvm'><name>q</name><memory unit='MiB'>1024</memory><vcpu>2</vcpu>"
                + "<os><type arch='x86_64' machine='pc-q35-7.2'>hvm</type></os><devices><interface type='network'><source network='default'/>"
                + "<address type='pci' domain='0x0000' bus='0x01' slot='0x00' function='0x0'/></interface></devices></domain>";
        Profile q35 = new Profile("t", "", Set.of(), List.of("q35"), "test");
        TuningResult kept = new Tuner(CATALOGUE).tune(dumped, q35, epyc);
        assertThat(kept.outcomes().get(0).status()).isEqualTo(RuleOutcome.Status.NOT_APPLICABLE);
        assertThat(kept.changed()).isFalse();
        // while i440fx as libvirt writes it out ('pc-i440fx-N') is moved
        TuningResult moved = new Tuner(CATALOGUE).tune(dumped.replace("pc-q35-7.2", "pc-i440fx-7.2"), q35, epyc);
        assertThat(moved.outcomes().get(0).status()).isEqualTo(RuleOutcome.Status.APPLIED);
        assertThat(moved.tunedXml()).contains("machine='q35'").doesNotContain("bus='0x01'");
    }

    @Test
    void whatTheQemuDriverRefusedInTheCorpusNoLongerComesOut() {
        String head = "<domain type='kvm'><name>q</name><memory unit='MiB'>1024</memory><vcpu>2</vcpu>";
        String x86 = "<os><type arch='x86_64' machine='q35'>hvm</type></os>";
        java.util.function.BiFunction<String, List<String>, TuningResult> tune = (xml, rules) ->
                new Tuner(CATALOGUE).tune(xml, new Profile("t", "", Set.of("headless"), rules, "test"), epyc);
        // cpu-cache-emulate-l3: a level belongs to mode='emulate'
        assertThat(tune.apply(head + "<cpu><cache level='3' mode='emulate'/></cpu>" + x86 + "</domain>", List.of("cpu-host-passthrough"))
                .tunedXml()).contains("<cache mode='passthrough'/>");
        // virt-manager's bootorder-in: a custom CPU's vendor goes with its model
        assertThat(tune.apply(head + "<cpu mode='custom' match='exact'><model fallback='forbid'>Skylake-Client-IBRS</model><vendor>Intel</vendor>"
                + "<feature policy='require' name='ss'/></cpu>" + x86 + "</domain>", List.of("cpu-host-passthrough")).tunedXml())
                .contains("<cpu mode='host-passthrough' match='exact' check='none' migratable='off'><feature policy='require' name='ss'/>")
                .doesNotContain("<model", "<vendor");
        // monitor-json, disk-geometry: hdX without a bus is IDE; a CHS translation is IDE's alone
        String pc = head + "<os><type arch='i686' machine='pc'>hvm</type></os><devices><disk type='file' device='disk'>"
                + "<geometry cyls='16383' heads='16' secs='63' trans='lba'/><source file='/d.img'/><target dev='hda'/></disk></devices></domain>";
        assertThat(tune.apply(pc, List.of("q35")).tunedXml()).contains("<target dev='hda' bus='sata'/>",
                "<geometry cyls='16383' heads='16' secs='63'/>");
        // disk-ide-wwn: SATA disks have no wwn
        TuningResult wwn = tune.apply(pc.replace("<target dev='hda'/>", "<target dev='hda'/><wwn>5000c50015ea71ad</wwn>"), List.of("q35"));
        assertThat(wwn.outcomes().get(0).status()).isEqualTo(RuleOutcome.Status.CANNOT_APPLY);
        assertThat(wwn.changed()).isFalse();
        // smartcard-controller, usb-hub: CCID and hubs are USB
        for (String usb : List.of("<controller type='ccid' index='0'/><smartcard mode='host'><address type='ccid' controller='0' slot='0'/></smartcard>",
                "<hub type='usb'><address type='usb' bus='0' port='1'/></hub>",
                // libvirt's mach-virt-serial-usb, found by the QEMU driver judging aarch64 inputs: a USB serial port
                "<controller type='usb' model='qemu-xhci'/><serial type='pty'><target type='usb-serial'/></serial>")) {
            assertThat(tune.apply(head + x86 + "<devices>" + usb + "</devices></domain>", List.of("usb-none")).outcomes().get(0).status())
                    .as(usb).isEqualTo(RuleOutcome.Status.CANNOT_APPLY);
        }
        // iothreads-ids-partial: libvirt's ids are those given, then the lowest unused
        String io = head.replace("<vcpu>2</vcpu>", "<vcpu>2</vcpu><iothreads>4</iothreads><iothreadids><iothread id='5'/><iothread id='6'/></iothreadids>")
                + x86 + "<devices><hostdev mode='subsystem' type='pci' managed='yes'><source><address domain='0x0000' bus='0x41' slot='0x00' function='0x0'/></source></hostdev>"
                + "<disk type='file' device='disk'><source file='/d.img'/><target dev='vda' bus='virtio'/></disk></devices></domain>";
        String pinned = tune.apply(io, List.of("disk-iothread", "vcpu-pinning")).tunedXml();
        assertThat(pinned).contains("iothread='1'", "<iothreadpin iothread='2' cpuset='16,48'/>", "iothread='5'", "iothread='6'")
                .doesNotContain("iothread='3'", "iothread='4'");
        // disk-vhostuser: another process serves the disk
        String vhost = head + x86 + "<devices><disk type='vhostuser' device='disk'><driver name='qemu' type='raw'/>"
                + "<source type='unix' path='/tmp/vhost1.sock'/><target dev='vda' bus='virtio'/></disk></devices></domain>";
        assertThat(tune.apply(vhost, List.of("disk-iothread")).changed()).isFalse();
        // memorybacking-unset: hugepages are allocated up front
        String ondemand = head.replace("<vcpu>", "<memoryBacking><allocation mode='ondemand'/></memoryBacking><vcpu>") + x86
                + "<devices><hostdev mode='subsystem' type='pci' managed='yes'><source><address domain='0x0000' bus='0x41' slot='0x00' function='0x0'/></source></hostdev></devices></domain>";
        assertThat(tune.apply(ondemand, List.of("hugepages")).outcomes().get(0).reason()).contains("allocated on demand");
        // audio-many-backends: VNC's audio reference goes with the audio backends
        String audio = head + x86 + "<devices><graphics type='vnc'><audio id='2'/></graphics><sound model='ich6'><audio id='2'/></sound>"
                + "<audio id='2' type='alsa'/></devices></domain>";
        assertThat(tune.apply(audio, List.of("remove-sound")).tunedXml()).doesNotContain("<audio", "<sound").contains("<graphics type='vnc'/>");
    }

    @Test
    void windowsOnAnAvicHostIsToldToKeepAvicUsableAndOnIntelGetsNoSuchHint() throws Exception {
        assertThat(only("hyperv-enlightenments", "", "windows-gpu", epyc).tunedXml()).as("EPYC: cpuinfo has avic")
                .contains("<avic state=\"on\"/>");
        assertThat(only("hyperv-enlightenments", "", "windows-gpu", workstation).tunedXml()).as("Intel: no evmcs without nested KVM")
                .doesNotContain("<avic", "<evmcs").contains("<tlbflush state=\"on\"/>");
    }

    @Test
    void everyProfileIsIdempotentOnEveryInput() throws Exception {
        for (String in : List.of("linux-gpu", "windows-gpu", "plain-pc")) {
            for (Profile p : CATALOGUE.profiles()) {
                TuningResult once = new Tuner(CATALOGUE).tune(input(in), p.name(), epyc);
                TuningResult twice = new Tuner(CATALOGUE).tune(once.tunedXml(), p.name(), epyc);
                assertThat(twice.diff()).as(in + " under " + p.name()).isEmpty();
            }
        }
    }

    @Test
    void userRuleFilesAddRulesAndProfilesWithoutRebuilding() throws Exception {
        Path rules = Files.createDirectories(dir.resolve("user-rules"));
        Files.writeString(rules.resolve("site.xml"), """
                <rules>
                  <rule id="site-watchdog">
                    <title>A watchdog that resets hung guests</title>
                    <rationale>site policy</rationale>
                    <ensure path="devices/watchdog" attributes="model=i6300esb action=reset"/>
                  </rule>
                  <profile name="site-compute" traits="headless">
                    <description>compute-headless plus a watchdog</description>
                    <use rule="headless-no-graphics"/><use rule="remove-tablet"/><use rule="site-watchdog"/>
                  </profile>
                </rules>
                """);
        RuleCatalogue cat = RuleCatalogue.withDirectory(rules);
        TuningResult r = new Tuner(cat).tune(input("linux-gpu"), "site-compute", epyc);
        assertThat(r.tunedXml()).contains("<watchdog action=\"reset\" model=\"i6300esb\"/>").doesNotContain("tablet");
        Files.writeString(rules.resolve("broken.xml"), "<rules><profile name=\"x\"><use rule=\"nope\"/></profile></rules>");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> RuleCatalogue.withDirectory(rules))
                .hasMessageContaining("profile x names unknown rule 'nope'");
    }

    @Test
    void anUnknownProfileOrANonDomainDocumentIsRefusedByName() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new Tuner(CATALOGUE).tune("<domain/>", "fast", null))
                .hasMessageContaining("unknown profile 'fast'");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new Tuner(CATALOGUE).tune("<network/>", "balanced", null))
                .hasMessageContaining("not a domain XML");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new Tuner(CATALOGUE).tune("<domain>", "balanced", null))
                .hasMessageContaining("not well-formed");
    }
}
