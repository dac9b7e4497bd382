package dev.vfiokit.vfio;

import dev.vfiokit.iommucheck.fixture.FixtureHosts;
import dev.vfiokit.iommucheck.fixture.HostTree;
import dev.vfiokit.iommucheck.fixture.PciFunction;
import dev.vfiokit.iommucheck.host.HostRoot;
import dev.vfiokit.iommucheck.host.HostSnapshot;
import dev.vfiokit.iommucheck.host.HostSnapshotReader;
import dev.vfiokit.iommucheck.host.PciAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Planning and refusals on fixture hosts; only the VM host proves the writes against a kernel. */
class VfioPlanningTest {
    @TempDir
    Path dir;

    private HostRoot root;

    private HostSnapshot read(HostTree t) {
        t.writeTo(dir);
        root = new HostRoot(dir);
        return new HostSnapshotReader(root).read("fixture");
    }

    private static BindRequest bind(boolean group, boolean force, String... addrs) {
        return new BindRequest(java.util.Arrays.stream(addrs).map(PciAddress::parse).toList(), group, force, false, false, Map.of());
    }

    @Test
    void aSnapshotReadForGroupsAloneIsRefusedByEveryPlannerThatChangesAHost() {
        FixtureHosts.epycServer().writeTo(dir);
        HostSnapshot groupsOnly = new HostSnapshotReader(new HostRoot(dir)).readGroups("fixture");
        for (org.assertj.core.api.ThrowableAssert.ThrowingCallable make : List.<org.assertj.core.api.ThrowableAssert.ThrowingCallable>of(
                () -> new BindPlanner(groupsOnly, HostTarget.tree(dir)), () -> new SriovPlanner(groupsOnly),
                () -> new MdevPlanner(groupsOnly), () -> new VgpuPlanner(groupsOnly))) {
            assertThatThrownBy(make).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("read for IOMMU groups only");
        }
    }

    @Test
    void bindingUsesDriverOverrideUnbindProbeAndChecksTheGroupDevice() {
        HostSnapshot h = read(FixtureHosts.epycServer());
        Operation op = new BindPlanner(h, HostTarget.tree(dir)).bind(bind(true, false, "61:00.0"));
        assertThat(op.steps()).extracting(Step::file).containsExactly(
                "/sys/bus/pci/devices/0000:61:00.0/driver_override", "/sys/bus/pci/devices/0000:61:00.0/driver/unbind",
                "/sys/bus/pci/drivers_probe", "/sys/bus/pci/devices/0000:61:00.1/driver_override",
                "/sys/bus/pci/devices/0000:61:00.1/driver/unbind", "/sys/bus/pci/drivers_probe", "check");
        assertThat(op.steps().get(2).expect().text()).isEqualTo("driver 0000:61:00.0 vfio-pci");
        assertThat(op.steps().get(6).expect().text()).isEqualTo("exists /dev/vfio/17");
        assertThat(op.devices()).containsExactly(new DeviceState(PciAddress.parse("61:00.0"), "nvidia", null),
                new DeviceState(PciAddress.parse("61:00.1"), "snd_hda_intel", null));
        assertThat(op.steps()).noneMatch(s -> s.file().contains("new_id"));
    }

    @Test
    void aDeviceWithAVariantDriverIsBoundToItAsLibvirtWouldChooseAndVfioPciCanBeForced() {
        HostSnapshot h = read(FixtureHosts.iommufdHost());
        Operation op = new BindPlanner(h, HostTarget.tree(dir)).bind(bind(false, false, "03:00.2"));
        assertThat(op.steps()).extracting(Step::why).containsExactly("load mlx5_vfio_pci", "only mlx5_vfio_pci may take 0000:03:00.2",
                "release 0000:03:00.2 from mlx5_core", "bind 0000:03:00.2 to mlx5_vfio_pci", "IOMMU group " + h.device(PciAddress.parse("03:00.2"))
                        .orElseThrow().iommuGroup() + " is usable through /dev/vfio/" + h.device(PciAddress.parse("03:00.2")).orElseThrow().iommuGroup());
        assertThat(((Step.Exec) op.steps().get(0)).command()).containsExactly("modprobe", "mlx5_vfio_pci");
        assertThat(op.steps().get(3).expect().text()).isEqualTo("driver 0000:03:00.2 mlx5_vfio_pci");
        assertThat(op.summary()).isEqualTo("bind 0000:03:00.2 to their VFIO drivers");
        assertThat(op.notes()).anyMatch(n -> n.contains("goes to the VFIO variant driver mlx5_vfio_pci (modules.alias: "
                + "alias vfio_pci:v000015B3d0000101Esv*sd*bc*sc*i* mlx5_vfio_pci)"));
        assertThat(op.devices()).containsExactly(new DeviceState(PciAddress.parse("03:00.2"), "mlx5_core", null));
        BindRequest generic = new BindRequest(List.of(PciAddress.parse("03:00.2")), false, false, false, false, Map.of(), "vfio-pci");
        Operation plain = new BindPlanner(h, HostTarget.tree(dir)).bind(generic);
        assertThat(plain.steps()).extracting(Step::why).contains("bind 0000:03:00.2 to vfio-pci").doesNotContain("load mlx5_vfio_pci");
        BindRequest wrong = new BindRequest(List.of(PciAddress.parse("01:00.0")), false, false, false, false, Map.of(), "mlx5_vfio_pci");
        assertThatThrownBy(() -> new BindPlanner(h, HostTarget.tree(dir)).bind(wrong)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("--driver mlx5_vfio_pci is no VFIO variant driver for 0000:01:00.0 in this kernel's modules.alias "
                        + "(variants here: mlx5_vfio_pci, virtio_vfio_pci, nvgrace_gpu_vfio_pci; vfio-pci always fits)");
    }

    @Test
    void vfsWithAVariantDriverAreCreatedUnboundAndTheNoteGivesTheOrderThatWorks() {
        HostSnapshot h = read(FixtureHosts.iommufdHost());
        Operation op = new SriovPlanner(h).create("0000:03:00.0", 4, false, false);
        assertThat(op.steps()).extracting(Step::why).contains("new VFs stay unbound, ready for vfio-pci", "enable 4 VFs");
        assertThat(op.notes()).anyMatch(n -> n.startsWith("the new VFs stay unbound (autoprobe 0); vfiokit bind --device VF then "
                + "overrides each to its VFIO variant driver mlx5_vfio_pci"));
        assertThat(new SriovPlanner(h).create("0000:03:00.0", 4, true, false).notes())
                .anyMatch(n -> n.contains("with --autoprobe their host driver takes them first"));
        // a PF whose VFs have no variant gets no such note
        assertThat(new SriovPlanner(read(FixtureHosts.epycServer())).create("ens1f0np0", 8, false, false).notes())
                .noneMatch(n -> n.contains("variant"));
    }

    @Test
    void aGroupThatIsNotViableAloneIsRefusedWithTheMembersThatMustComeAlong() {
        HostSnapshot h = read(FixtureHosts.epycServer());
        assertThatThrownBy(() -> new BindPlanner(h, HostTarget.tree(dir)).bind(bind(false, false, "01:00.0")))
                .isInstanceOf(VfioFailure.class).hasMessageContaining("not viable alone: 0000:01:00.1 must come along");
        // naming every member is as good as --group
        assertThat(new BindPlanner(h, HostTarget.tree(dir)).bind(bind(false, false, "01:00.0", "01:00.1")).devices()).hasSize(2);
    }

    @Test
    void theHostsOwnDevicesAreRefusedUnlessForced() throws Exception {
        HostSnapshot h = read(FixtureHosts.epycServer());
        assertThatThrownBy(() -> new BindPlanner(h, HostTarget.tree(dir)).bind(bind(false, false, "c2:00.0")))
                .hasMessageContaining("boot VGA").hasMessageContaining("--force");
        assertThatThrownBy(() -> new BindPlanner(h, HostTarget.tree(dir)).bind(bind(false, false, "c3:00.0")))
                .hasMessageContaining("carries the default route (eno1)");
        BindRequest running = new BindRequest(List.of(PciAddress.parse("21:00.0")), true, false, false, false,
                Map.of(PciAddress.parse("21:00.0"), "render-01"));
        assertThatThrownBy(() -> new BindPlanner(h, HostTarget.tree(dir)).bind(running)).hasMessageContaining("running domain 'render-01'");
        Operation forced = new BindPlanner(h, HostTarget.tree(dir)).bind(bind(false, true, "c3:00.0"));
        assertThat(forced.notes()).anyMatch(n -> n.startsWith("--force: ") && n.contains("default route"));
        assertThatThrownBy(() -> new BindPlanner(h, HostTarget.tree(dir)).bind(bind(false, false, "c0:03.1"))).hasMessageContaining("bridge");
        assertThatThrownBy(() -> new BindPlanner(h, HostTarget.tree(dir)).bind(bind(false, false, "99:00.0"))).hasMessageContaining("no PCI device");
    }

    @Test
    void aGpuThatHostProcessesHoldIsRefusedWithThemNamedUnlessForced() {
        HostSnapshot h = read(FixtureHosts.gpuHeldByHost());
        assertThat(h.usersOf(PciAddress.parse("01:00.0"))).containsExactly("pid 1432 (Xorg) holds /dev/dri/card1",
                "pid 1980 (nvidia-cuda-mps) holds /dev/nvidia0", "pid 2210 (nvidia-smi) holds /dev/nvidia0");
        assertThatThrownBy(() -> new BindPlanner(h, HostTarget.tree(dir)).bind(bind(true, false, "01:00.0")))
                .isInstanceOf(VfioFailure.class).hasMessageContaining("0000:01:00.0 is held by host processes: pid 1432 (Xorg)")
                .hasMessageContaining("nvidia-smi").hasMessageContaining("--force overrides");
        assertThat(new BindPlanner(h, HostTarget.tree(dir)).bind(bind(true, true, "01:00.0")).notes())
                .anyMatch(n -> n.startsWith("--force: ") && n.contains("held by host processes"));
    }

    @Test
    void aControllerBehindAMountedFilesystemIsRefused() throws Exception {
        HostSnapshot h = read(FixtureHosts.epycServer());
        Path nvme = dir.resolve("sys/devices/pci0000:80/0000:80:01.1/0000:81:00.0/nvme/nvme0/nvme0n1/nvme0n1p2");
        Files.createDirectories(nvme);
        Files.createDirectories(dir.resolve("sys/class/block"));
        Path link = dir.resolve("sys/class/block/nvme0n1p2");
        Files.createSymbolicLink(link, link.getParent().relativize(nvme));
        Files.createDirectories(dir.resolve("proc"));
        Files.writeString(dir.resolve("proc/mounts"), "/dev/nvme0n1p2 / ext4 rw,relatime 0 0\nproc /proc proc rw 0 0\n");
        HostSnapshot mounted = new HostSnapshotReader(new HostRoot(dir)).read("fixture");
        assertThat(mounted.storageInUse()).containsEntry(PciAddress.parse("81:00.0"), "mounted filesystem /");
        assertThatThrownBy(() -> new BindPlanner(mounted, HostTarget.tree(dir)).bind(bind(false, false, "81:00.0")))
                .hasMessageContaining("0000:81:00.0 backs mounted filesystem /");
        assertThatThrownBy(() -> new BindPlanner(mounted, HostTarget.tree(dir)).bind(bind(false, true, "81:00.0")))
                .as("the root disk is never forced").hasMessageContaining("--force does not override this");
        Files.writeString(dir.resolve("proc/mounts"), "proc /proc proc rw 0 0\n");
        Files.writeString(dir.resolve("proc/swaps"), "Filename\tType\tSize\tUsed\tPriority\n/dev/nvme0n1p2 partition 8388604 0 -2\n");
        HostSnapshot again = new HostSnapshotReader(new HostRoot(dir)).read("fixture");
        assertThatThrownBy(() -> new BindPlanner(again, HostTarget.tree(dir)).bind(bind(false, true, "81:00.0")))
                .hasMessageContaining("0000:81:00.0 backs swap /dev/nvme0n1p2");
    }

    @Test
    void persistenceIsByAddressForDriverctlOrByIdWithSoftdepsAndTheInitramfsNote() {
        HostSnapshot h = read(FixtureHosts.epycServer());
        BindRequest byAddress = new BindRequest(List.of(PciAddress.parse("61:00.0")), true, false, true, false, Map.of());
        Operation a = new BindPlanner(h, HostTarget.tree(dir)).bind(byAddress);
        assertThat(a.steps()).filteredOn(Step::isConfigFile).extracting(Step::file, Step::value).containsExactly(
                org.assertj.core.groups.Tuple.tuple("/etc/driverctl.d/pci-0000:61:00.0", "vfio-pci\n"),
                org.assertj.core.groups.Tuple.tuple("/etc/driverctl.d/pci-0000:61:00.1", "vfio-pci\n"));
        assertThat(a.files()).extracting(FileState::content).containsOnlyNulls();
        BindRequest byId = new BindRequest(List.of(PciAddress.parse("61:00.0")), true, false, false, true, Map.of());
        Operation b = new BindPlanner(h, HostTarget.tree(dir)).bind(byId);
        Step conf = b.steps().stream().filter(Step::isConfigFile).findFirst().orElseThrow();
        assertThat(conf.file()).isEqualTo("/etc/modprobe.d/vfiokit-vfio.conf");
        assertThat(conf.value()).contains("options vfio-pci ids=10de:1aef,10de:2230\n", "softdep nvidia pre: vfio-pci\n",
                "softdep snd_hda_intel pre: vfio-pci\n");
        assertThat(b.notes()).anyMatch(n -> n.contains("update-initramfs -u"))
                .anyMatch(n -> n.contains("6 other device(s) on this host have the same ids"));
    }

    @Test
    void groupNeverDragsAlongAControllerTheHostRunsOn() {
        HostSnapshot h = read(FixtureHosts.consumerBoard());
        assertThatThrownBy(() -> new BindPlanner(h, HostTarget.tree(dir)).bind(bind(true, true, "0a:00.0")))
                .isInstanceOf(VfioFailure.class).hasMessageContaining("IOMMU group 14 of 0000:0a:00.0 also holds what the host needs")
                .hasMessageContaining("is a USB controller").hasMessageContaining("is a storage controller")
                .hasMessageContaining("name it with --device");
    }

    @Test
    void persistingADeviceWhoseGroupIsOnVfioAlreadyPersistsTheWholeGroup() {
        HostSnapshot h = read(FixtureHosts.epycServer());
        // 41:00.0 and its audio function are on vfio-pci already: nothing to bind now, both must be bound at boot
        BindRequest req = new BindRequest(List.of(PciAddress.parse("41:00.0")), true, false, true, false, Map.of());
        Operation op = new BindPlanner(h, HostTarget.tree(dir)).bind(req);
        assertThat(op.steps()).filteredOn(Step::isConfigFile).extracting(Step::file)
                .containsExactly("/etc/driverctl.d/pci-0000:41:00.0", "/etc/driverctl.d/pci-0000:41:00.1");
        assertThat(op.notes()).contains("persisted with their IOMMU group: 0000:41:00.1");
    }

    @Test
    void vfCreationZeroesFirstAndRefusesWhatTheKernelWouldRefuse() {
        HostTree t = FixtureHosts.epycServer().pci(PciFunction.at("0000:e1:00.0").ids(0x8086, 0x1593).classCode(0x020000)
                .group(90).sriov(16, 0, 0x1889, "iavf"));
        HostSnapshot h = read(t);
        SriovPlanner p = new SriovPlanner(h);
        Operation op = p.create("ens1f0np0", 8, false, false);
        assertThat(op.steps()).extracting(Step::file, Step::value).containsExactly(
                org.assertj.core.groups.Tuple.tuple("/sys/bus/pci/devices/0000:c1:00.0/sriov_numvfs", "0"),
                org.assertj.core.groups.Tuple.tuple("/sys/bus/pci/devices/0000:c1:00.0/sriov_drivers_autoprobe", "0"),
                org.assertj.core.groups.Tuple.tuple("/sys/bus/pci/devices/0000:c1:00.0/sriov_numvfs", "8"));
        assertThat(op.sriov()).containsExactly(new SriovState("0000:c1:00.0", 4, 1));
        assertThatThrownBy(() -> p.create("0000:c1:00.1", 129, false, false)).hasMessageContaining("supports 128 VFs")
                .hasMessageContaining("ERANGE");
        assertThatThrownBy(() -> p.create("0000:e1:00.0", 2, false, false)).hasMessageContaining("no driver")
                .hasMessageContaining("ENOENT");
        assertThatThrownBy(() -> p.create("0000:61:00.0", 2, false, false)).hasMessageContaining("not an SR-IOV physical function");
        assertThatThrownBy(() -> p.create("nosuch0", 2, false, false)).hasMessageContaining("no network interface 'nosuch0'");
        assertThat(p.remove("ens1f0np0", false).steps()).extracting(Step::value).containsExactly("0");
    }

    @Test
    void vfsOnVfioAreNotRemovedUnlessForced() {
        HostTree t = FixtureHosts.epycServer().pci(PciFunction.at("0000:e1:00.0").ids(0x8086, 0x1593).classCode(0x020000)
                .driver("ice").group(90).netdev("ens9f0").sriov(16, 2, 0x1889, "vfio-pci"));
        HostSnapshot h = read(t);
        assertThatThrownBy(() -> new SriovPlanner(h).remove("ens9f0", false)).hasMessageContaining("are bound to vfio-pci");
        assertThat(new SriovPlanner(h).remove("ens9f0", true).steps()).hasSize(1);
    }

    @Test
    void vfSettingsBecomeOneIpLinkCommandAndIpsOwnErrorsComeBackAsOneLine() {
        HostSnapshot h = read(FixtureHosts.epycServer());
        SriovPlanner p = new SriovPlanner(h);
        assertThat(p.ipLinkSet("0000:c1:00.0", 2, "52:54:00:AA:BB:CC", 100, "on", "off")).containsExactly(
                "ip", "link", "set", "dev", "ens1f0np0", "vf", "2", "mac", "52:54:00:aa:bb:cc", "vlan", "100", "trust", "on", "spoofchk", "off");
        assertThatThrownBy(() -> p.ipLinkSet("ens1f0np0", 7, null, 5, null, null)).hasMessageContaining("VF 7 does not exist");
        assertThatThrownBy(() -> p.ipLinkSet("ens1f0np0", 1, "01:00:00:00:00:01", null, null, null)).hasMessageContaining("unicast");
        assertThatThrownBy(() -> p.ipLinkSet("ens1f0np0", 1, null, null, "maybe", null)).hasMessageContaining("on or off");
        assertThatThrownBy(() -> p.ipLinkSet("ens1f0np0", 1, null, null, null, null)).hasMessageContaining("nothing to set");
        // the real ip(8): the netdev does not exist on this machine, and ip says so
        assertThatThrownBy(() -> HostTarget.local().commands().run(List.of("ip", "link", "set", "dev", "vfiokit-none0", "vf", "0", "vlan", "5"),
                Duration.ofSeconds(10))).isInstanceOf(VfioFailure.class).hasMessageContaining("failed (exit")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }

    @Test
    void aFailedStepRollsBackWhatWasDoneAndTheJournalSaysSo() throws Exception {
        HostSnapshot h = read(FixtureHosts.epycServer());
        Path state = dir.resolve("var/lib/vfiokit");
        Operation op = new BindPlanner(h, HostTarget.tree(dir)).bind(bind(true, false, "61:00.0"));
        PlanRunner runner = new PlanRunner(new HostWriter(HostTarget.tree(dir)), state);
        // a fixture is no kernel: the unbind write is accepted but the driver link stays, as with a real driver
        // that ignores it; the verification catches it and the plan rolls back
        assertThatThrownBy(() -> runner.apply(op)).isInstanceOf(VfioFailure.class)
                .hasMessageContaining("0000:61:00.0 is on driver nvidia after writing /sys/bus/pci/devices/0000:61:00.0/driver/unbind")
                .hasMessageContaining("rolled back: the host is as it was");
        assertThat(root.read("/sys/bus/pci/devices/0000:61:00.0/driver_override")).hasValue("");
        Journal.Entry e = runner.journal().entries().get(0);
        assertThat(e.status()).isEqualTo(Journal.Status.ROLLED_BACK);
        assertThat(e.stepsDone()).isEqualTo(1);
        assertThat(e.operation().devices()).hasSize(2);
        assertThatThrownBy(() -> runner.undo(null)).hasMessageContaining("nothing to undo");
    }

    @Test
    void configFileChangesAreJournaledAndUndone() throws Exception {
        HostSnapshot h = read(FixtureHosts.epycServer());
        Path state = dir.resolve("var/lib/vfiokit");
        Files.createDirectories(dir.resolve("etc/driverctl.d"));
        Files.writeString(dir.resolve("etc/driverctl.d/pci-0000:41:00.0"), "vfio-pci\n");
        Operation op = new Operation(Operation.Kind.BIND, "persist 61:00.0", List.of(Step.configFile("/etc/driverctl.d/pci-0000:61:00.0",
                "vfio-pci\n", "at boot")), List.of(), List.of(new FileState("/etc/driverctl.d/pci-0000:61:00.0", null)),
                List.of(), List.of(), List.of());
        PlanRunner runner = new PlanRunner(new HostWriter(HostTarget.tree(dir)), state);
        String id = runner.apply(op);
        assertThat(Files.readString(dir.resolve("etc/driverctl.d/pci-0000:61:00.0"))).isEqualTo("vfio-pci\n");
        assertThat(runner.undo(id).id()).isEqualTo(id);
        assertThat(dir.resolve("etc/driverctl.d/pci-0000:61:00.0")).doesNotExist();
        assertThat(dir.resolve("etc/driverctl.d/pci-0000:41:00.0")).exists();
        assertThat(runner.journal().find(id).orElseThrow().status()).isEqualTo(Journal.Status.UNDONE);
        assertThatThrownBy(() -> runner.undo(id)).hasMessageContaining("undone already");
    }

    @Test
    void removingABootTimeBindingIsJournaledAndUndoWritesItBack() throws Exception {
        HostSnapshot h = read(FixtureHosts.epycServer());
        Path state = dir.resolve("var/lib/vfiokit");
        Operation op = new BindPlanner(h, HostTarget.tree(dir)).unpersist(List.of(PciAddress.parse("21:00.0")));
        assertThat(op.steps().get(0).describe()).startsWith("rm /etc/driverctl.d/pci-0000:21:00.0");
        PlanRunner runner = new PlanRunner(new HostWriter(HostTarget.tree(dir)), state);
        String id = runner.apply(op);
        assertThat(dir.resolve("etc/driverctl.d/pci-0000:21:00.0")).doesNotExist();
        runner.undo(id);
        assertThat(Files.readString(dir.resolve("etc/driverctl.d/pci-0000:21:00.0"))).isEqualTo("vfio-pci\n");
        // bound at boot by id, as persist list shows: said so, and left to the admin (the line binds three more GPUs)
        assertThatThrownBy(() -> new BindPlanner(h, HostTarget.tree(dir)).unpersist(List.of(PciAddress.parse("61:00.0"))))
                .hasMessageStartingWith("0000:61:00.0 goes to vfio-pci at boot by id (vfio-pci ids=10de:2230, in ")
                .hasMessageContaining("which also binds 3 other device(s) with that id; vfiokit removes per-address bindings only");
        assertThatThrownBy(() -> new BindPlanner(h, HostTarget.tree(dir)).unpersist(List.of(PciAddress.parse("c1:00.0"))))
                .hasMessageContaining("no boot-time binding for 0000:c1:00.0");
    }

    @Test
    void expectationsAreTypedAndReadBackFromTheirJournalLine() {
        for (String line : List.of("driver 0000:41:00.0 vfio-pci", "driver 0000:41:00.0 !vfio-pci", "exists /dev/vfio/15",
                "absent /sys/bus/mdev/devices/x", "value /sys/bus/pci/devices/0000:41:00.0/driver_override vfio-pci", "")) {
            assertThat(Expect.parse(line).text()).isEqualTo(line);
        }
        assertThat(Expect.parse("driver 0000:41:00.0 !vfio-pci")).isEqualTo(new Expect.DriverIs("0000:41:00.0", "vfio-pci", true));
        assertThatThrownBy(() -> Expect.parse("frobnicate x")).hasMessageContaining("unknown expectation");
        assertThatThrownBy(() -> Expect.parse("driver 0000:41:00.0")).hasMessageContaining("malformed expectation");
        Step exec = Step.exec(List.of("modprobe", "vfio-pci", "ids=a b"), new Expect.Nothing(), "x");
        assertThat(((Step.Exec) exec).command()).containsExactly("modprobe", "vfio-pci", "ids=a b");
    }

    @Test
    void everyKindOfStepKeepsTheJournalsFlatFormAndReadsBackAsItsKind() throws Exception {
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        List<Step> steps = List.of(Step.write("/sys/bus/pci/devices/0000:41:00.0/driver_override", "vfio-pci",
                        new Expect.ValueIs("/sys/bus/pci/devices/0000:41:00.0/driver_override", "vfio-pci"), "override"),
                Step.configFile("/etc/driverctl.d/pci-0000:41:00.0", "vfio-pci\n", "at boot"),
                Step.removeFile("/etc/driverctl.d/pci-0000:41:00.0", "not at boot"),
                Step.exec(List.of("modprobe", "vfio-pci"), new Expect.Nothing(), "load"),
                Step.check(new Expect.Exists("/dev/vfio/15"), "group usable"));
        for (Step s : steps) {
            com.fasterxml.jackson.databind.JsonNode n = json.readTree(json.writeValueAsString(s));
            assertThat(n.fieldNames()).toIterable().containsExactly("file", "value", "expect", "why", "command");
            assertThat(n.get("file").asText()).isEqualTo(s.file());
            assertThat(json.readValue(n.toString(), Step.class)).isEqualTo(s);
        }
        // a format-1 command step (its line only) reads back as the command's words
        Step old = json.readValue("{\"file\":\"exec\",\"value\":\"modprobe vfio-pci\",\"expect\":\"\",\"why\":\"load\"}", Step.class);
        assertThat(old).isEqualTo(Step.exec(List.of("modprobe", "vfio-pci"), new Expect.Nothing(), "load"));
    }

    @Test
    void aJournalOfTheFirstFormatStillUndoes() throws Exception {
        read(FixtureHosts.epycServer());
        Path state = dir.resolve("var/lib/vfiokit");
        Files.createDirectories(dir.resolve("etc/driverctl.d"));
        Operation op = new Operation(Operation.Kind.BIND, "persist 61:00.0", List.of(Step.configFile("/etc/driverctl.d/pci-0000:61:00.0",
                "vfio-pci\n", "at boot")), List.of(), List.of(new FileState("/etc/driverctl.d/pci-0000:61:00.0", null)),
                List.of(), List.of(), List.of());
        PlanRunner runner = new PlanRunner(new HostWriter(HostTarget.tree(dir)), state);
        String id = runner.apply(op);
        // rewrite the entry as format 1 wrote it: no format field, no command words
        Path file = state.resolve("journal/" + id + ".json");
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        com.fasterxml.jackson.databind.node.ObjectNode entry = (com.fasterxml.jackson.databind.node.ObjectNode) json.readTree(file.toFile());
        assertThat(entry.get("format").asInt()).isEqualTo(Journal.FORMAT);
        entry.remove("format");
        entry.get("operation").get("steps").forEach(s -> ((com.fasterxml.jackson.databind.node.ObjectNode) s).remove("command"));
        Files.write(file, json.writeValueAsBytes(entry));
        assertThat(runner.journal().find(id).orElseThrow().format()).isZero();
        runner.undo(id);
        assertThat(dir.resolve("etc/driverctl.d/pci-0000:61:00.0")).doesNotExist();
        assertThat(runner.journal().find(id).orElseThrow().status()).isEqualTo(Journal.Status.UNDONE);
    }

    @Test
    void aSecondVfioKitCannotChangeTheHostWhileTheFirstHoldsTheLock() {
        Path state = dir.resolve("state");
        try (HostLock first = HostLock.acquire(state)) {
            assertThatThrownBy(() -> HostLock.acquire(state)).isInstanceOf(VfioFailure.class)
                    .hasMessageContaining("another vfiokit is changing this host (pid " + ProcessHandle.current().pid() + ")");
        }
        try (HostLock again = HostLock.acquire(state)) {
            assertThat(again).isNotNull();
        }
    }

    @Test
    void kernelAnswersAreExplained() {
        assertThat(KernelErrors.explain("/sys/bus/pci/devices/x/sriov_numvfs", "Device or resource busy")).contains("EBUSY", "0 first");
        assertThat(KernelErrors.explain("/sys/bus/pci/devices/x/sriov_numvfs", "Numerical result out of range")).contains("ERANGE", "totalvfs");
        assertThat(KernelErrors.explain("/sys/bus/pci/devices/x/sriov_numvfs", "No such file or directory")).contains("ENOENT", "no driver");
    }
}
