package dev.vfiokit.tuning.loss;

import dev.vfiokit.iommucheck.fixture.FixtureHosts;
import dev.vfiokit.iommucheck.fixture.HostTree;
import dev.vfiokit.iommucheck.host.HostRoot;
import dev.vfiokit.iommucheck.host.HostSnapshot;
import dev.vfiokit.iommucheck.host.HostSnapshotReader;
import dev.vfiokit.iommucheck.host.PciDevice;
import dev.vfiokit.iommucheck.input.SecureXml;
import dev.vfiokit.tuning.RuleCatalogue;
import dev.vfiokit.tuning.Tuner;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LossTest {
    @TempDir
    static Path dir;
    static HostSnapshot epyc;
    static HostSnapshot l40s;
    static final RuleCatalogue CATALOGUE = RuleCatalogue.builtin();
    static final String TUNE = "vfiokit tune --domain g --profile compute-headless --apply";

    @BeforeAll
    static void hosts() {
        epyc = read(FixtureHosts.epycServer(), "epyc");
        l40s = read(FixtureHosts.l40sVgpu(true), "l40s");
    }

    static HostSnapshot read(HostTree t, String name) {
        t.writeTo(dir.resolve(name));
        return new HostSnapshotReader(new HostRoot(dir.resolve(name))).read(name);
    }

    static String domain(String type, String devices) {
        return "<domain type='" + type + "'><name>g</name><memory unit='MiB'>4096</memory><vcpu>2</vcpu>"
                + "<os><type arch='x86_64' machine='q35'>hvm</type></os><devices>" + devices + "</devices></domain>";
    }

    static String hostdev(String bus, String function) {
        return "<hostdev mode='subsystem' type='pci' managed='yes'><source><address domain='0x0000' bus='0x" + bus
                + "' slot='0x00' function='0x" + function + "'/></source></hostdev>";
    }

    static LossMeasurement measured(String type, DeviceKind kind, List<Double> host, List<Double> guest, List<LossCause> causes) {
        return new LossMeasurement("g", "qemu:///system", "2026-12-03T10:00:00Z", Workload.builtin("cpu", 64, null), 1,
                new Samples(host), new Samples(guest), kind, type, "compute-headless", causes);
    }

    @Test
    void samplesGiveTheMedianTheExtremesAndTheSpreadOfTheirRuns() {
        Samples odd = new Samples(List.of(1.2, 1.0, 1.1));
        assertThat(odd.median()).isEqualTo(1.1);
        assertThat(odd.min()).isEqualTo(1.0);
        assertThat(odd.max()).isEqualTo(1.2);
        assertThat(odd.spreadPercent()).isCloseTo(18.18, org.assertj.core.data.Offset.offset(0.01));
        assertThat(new Samples(List.of(4.0, 1.0, 2.0, 3.0)).median()).isEqualTo(2.5);
        assertThatThrownBy(() -> new Samples(List.of())).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theTimerReportsTheProgramsExitCodeTimeAndErrorsButNotItsOutput() throws Exception {
        Workload w = Workload.command(List.of("/bin/sh", "-c", "echo to-stdout; echo to-stderr >&2; sleep 0.2; exit 3"));
        Process p = new ProcessBuilder(w.timedArgv()).start();
        assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        TimedRun r = TimedRun.parse(out, "this host");
        assertThat(r.exitCode()).isEqualTo(3);
        assertThat(r.seconds()).isBetween(0.19, 5.0);
        assertThat(r.errors()).isEqualTo("to-stderr");
        assertThat(out).doesNotContain("to-stdout");
    }

    @Test
    void everyBuiltInWorkloadRunsUnderTheTimerOnThisMachine() throws Exception {
        for (Workload w : List.of(Workload.builtin("cpu", 4, null), Workload.builtin("memory", 64, null),
                Workload.builtin("storage", 2, dir.toString()))) {
            Process p = new ProcessBuilder(w.timedArgv()).start();
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
            TimedRun r = TimedRun.parse(new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8), "this host");
            assertThat(r.exitCode()).as(w.name()).isZero();
            assertThat(r.seconds()).as(w.name()).isPositive();
        }
        // the storage workload removes the file it wrote
        assertThat(dir.toFile().list((d, n) -> n.startsWith(".vfiokit-loss"))).isEmpty();
    }

    @Test
    void whatIsNotTheTimersReportIsRefusedSayingWhatCameBack() {
        assertThatThrownBy(() -> TimedRun.parse("date: invalid format '%N'\n", "guest g"))
                .hasMessageContaining("guest g").hasMessageContaining("invalid format");
        assertThatThrownBy(() -> TimedRun.parse("vfiokit-loss 0 12.5\n", "guest g")).isInstanceOf(WorkloadFailed.class);
    }

    @Test
    void workloadInputIsCheckedBeforeAnythingRuns() {
        assertThatThrownBy(() -> Workload.builtin("storage", 16, "/tmp/x;rm -rf /")).hasMessageContaining("--dir");
        assertThatThrownBy(() -> Workload.builtin("storage", 16, "/tmp/../etc")).hasMessageContaining("--dir");
        assertThatThrownBy(() -> Workload.builtin("cpu", 0, null)).hasMessageContaining("--size");
        assertThatThrownBy(() -> Workload.builtin("gpu", 16, null)).hasMessageContaining("unknown workload 'gpu'");
        assertThatThrownBy(() -> Workload.command(List.of())).hasMessageContaining("--command");
        // the user's words stay words: each is one argument after the fixed timer, never part of a shell line
        assertThat(Workload.command(List.of("/opt/b", "a b; c")).timedArgv()).endsWith("vfiokit-loss", "/opt/b", "a b; c");
    }

    @Test
    void theDeviceKindComesFromHowTheDevicesReachTheGuest() {
        assertThat(DeviceKind.of(el(domain("kvm", "")), epyc)).isEqualTo(DeviceKind.NONE);
        assertThat(DeviceKind.of(el(domain("kvm", hostdev("41", "0") + hostdev("41", "1"))), epyc)).isEqualTo(DeviceKind.PASSTHROUGH);
        assertThat(DeviceKind.of(el(domain("kvm", hostdev("c1", "0").replace("slot='0x00'", "slot='0x02'"))), epyc)).isEqualTo(DeviceKind.SRIOV);
        assertThat(DeviceKind.of(el(domain("kvm", "<interface type='network'><source network='vf-pool'/></interface>"
                + "<interface type='hostdev'><source><address type='pci' domain='0x0000' bus='0xc1' slot='0x02' function='0x1'/></source></interface>")), epyc))
                .isEqualTo(DeviceKind.SRIOV);
        assertThat(DeviceKind.of(el(domain("kvm", "<hostdev mode='subsystem' type='mdev' model='vfio-pci'><source>"
                + "<address uuid='b8a7d9e2-6c1f-4e0a-9d3b-2f6a1c4e5d70'/></source></hostdev>")), epyc)).isEqualTo(DeviceKind.VGPU);
        // NVIDIA vGPU 17+: a VF with a vendor vGPU type set is vGPU, not SR-IOV
        PciDevice vgpuVf = l40s.devices().stream().filter(d -> d.vendorVgpu() != null && d.vendorVgpu().currentType() > 0).findFirst().orElseThrow();
        String a = vgpuVf.address().toString();
        String xml = domain("kvm", "<hostdev mode='subsystem' type='pci' managed='yes'><source><address domain='0x0000' bus='0x" + a.substring(5, 7)
                + "' slot='0x" + a.substring(8, 10) + "' function='0x" + a.substring(11) + "'/></source></hostdev>");
        assertThat(DeviceKind.of(el(xml), l40s)).isEqualTo(DeviceKind.VGPU);
    }

    @Test
    void theVerdictPlacesTheLossInTheKindsBandAndSaysWhenTheRunsCannotTellItApart() {
        LossMeasurement within = measured("kvm", DeviceKind.PASSTHROUGH, List.of(1.0, 1.0, 1.0), List.of(1.02, 1.02, 1.03), List.of());
        assertThat(within.lossPercent()).isCloseTo(2.0, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(within.verdict()).isEqualTo("within");
        LossMeasurement above = measured("kvm", DeviceKind.PASSTHROUGH, List.of(1.0, 1.0, 1.0), List.of(1.10, 1.10, 1.10), List.of());
        assertThat(above.verdict()).isEqualTo("above");
        assertThat(above.verdictText()).isEqualTo("above the passthrough band (< 3%)");
        LossMeasurement noisy = measured("kvm", DeviceKind.PASSTHROUGH, List.of(0.8, 1.0, 1.2), List.of(1.05, 1.05, 1.05), List.of());
        assertThat(noisy.verdictText()).contains("within the runs' spread");
        LossMeasurement vgpu = measured("kvm", DeviceKind.VGPU, List.of(1.0), List.of(1.05), List.of());
        assertThat(vgpu.verdict()).isEqualTo("below");
        assertThat(vgpu.range()).isEqualTo("(10–30%)");
        LossMeasurement tcg = measured("qemu", DeviceKind.NONE, List.of(1.0), List.of(7.0), List.of());
        assertThat(tcg.verdict()).isEqualTo("not-comparable");
        assertThat(tcg.verdictText()).contains("TCG");
    }

    @Test
    void causesNameTheRuleThatAddressesEachAndPutTheWorkloadsOwnFirst() {
        String gpu = domain("kvm", hostdev("41", "0") + hostdev("41", "1")
                + "<disk type='file' device='disk'><source file='/d.img'/><target dev='vda' bus='virtio'/></disk><sound model='ich9'/>");
        List<LossCause> causes = new LossCauses(new Tuner(CATALOGUE)).of(gpu, epyc, CATALOGUE.profile("compute-headless"), "storage", TUNE);
        assertThat(causes).extracting(LossCause::rule).contains("vcpu-pinning", "hugepages", "cpu-host-passthrough", "disk-iothread", "remove-sound")
                .doesNotContain("serial-console");
        assertThat(causes.get(0).rule()).isEqualTo("disk-iothread");
        assertThat(causes).filteredOn(c -> "vcpu-pinning".equals(c.rule())).first().satisfies(c -> {
            assertThat(c.weight()).isEqualTo("high");
            assertThat(c.fix()).isEqualTo(TUNE);
        });
        // the tuned domain leaves only what no rule does: nothing of those rules is a cause any more
        String tuned = new Tuner(CATALOGUE).tune(gpu, "compute-headless", epyc).tunedXml();
        assertThat(new LossCauses(new Tuner(CATALOGUE)).of(tuned, epyc, CATALOGUE.profile("compute-headless"), "storage", TUNE))
                .extracting(LossCause::rule).doesNotContain("vcpu-pinning", "hugepages", "cpu-host-passthrough", "disk-iothread", "remove-sound");
    }

    @Test
    void hostCausesNameTcgADegradedLinkAndVcpusAwayFromTheDevicesNode() {
        LossCauses finder = new LossCauses(new Tuner(CATALOGUE));
        // 61:00.0 trains at x8 of its x16 in the fixture; it sits on node 1, CPUs 0-1 are node 0's
        String xml = domain("qemu", hostdev("61", "0") + hostdev("61", "1"))
                .replace("<vcpu>2</vcpu>", "<vcpu>2</vcpu><cputune><vcpupin vcpu='0' cpuset='0'/><vcpupin vcpu='1' cpuset='1'/></cputune>");
        List<LossCause> causes = finder.of(xml, epyc, CATALOGUE.profile("compute-headless"), "cpu", TUNE);
        assertThat(causes).extracting(LossCause::concern).contains("emulation", "pcie-link", "numa");
        assertThat(causes).filteredOn(c -> c.concern().equals("pcie-link")).first()
                .satisfies(c -> assertThat(c.finding()).contains("0000:61:00.0", "x8", "x16").doesNotContain("null"));
        assertThat(causes).filteredOn(c -> c.concern().equals("numa")).first()
                .satisfies(c -> assertThat(c.finding()).contains("node [0]", "node [1]"));
        // pinned on the device's own node: no NUMA cause
        assertThat(finder.of(xml.replace("cpuset='0'", "cpuset='16'").replace("cpuset='1'", "cpuset='48'"), epyc,
                CATALOGUE.profile("compute-headless"), "cpu", TUNE)).extracting(LossCause::concern).doesNotContain("numa");
    }

    @Test
    void aComparisonSaysWhichCausesWentAndRefusesDifferentWorkloads() {
        LossCause pin = new LossCause("cpu-pinning", "not done", "vcpu-pinning", "tune", List.of("cpu"), "high");
        LossCause sound = new LossCause("emulated-devices", "not done", "remove-sound", "tune", List.of("cpu"), "low");
        LossMeasurement before = measured("kvm", DeviceKind.PASSTHROUGH, List.of(1.0), List.of(1.10), List.of(pin, sound));
        LossMeasurement after = measured("kvm", DeviceKind.PASSTHROUGH, List.of(1.0), List.of(1.02), List.of(sound));
        LossComparison c = LossComparison.of(before, after);
        assertThat(c.lossChange()).isCloseTo(-8.0, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(c.guestChangePercent()).isCloseTo(-7.27, org.assertj.core.data.Offset.offset(0.01));
        assertThat(c.resolved()).containsExactly(pin);
        assertThat(c.remaining()).containsExactly(sound);
        assertThat(c.added()).isEmpty();
        LossMeasurement other = new LossMeasurement("g", "u", "t", Workload.builtin("memory", 64, null), 0, new Samples(List.of(1.0)),
                new Samples(List.of(1.0)), DeviceKind.NONE, "kvm", "p", List.of());
        assertThatThrownBy(() -> LossComparison.of(before, other)).hasMessageContaining("different workloads");
    }

    private static org.w3c.dom.Element el(String xml) {
        return SecureXml.parse(xml, "t").getDocumentElement();
    }
}
