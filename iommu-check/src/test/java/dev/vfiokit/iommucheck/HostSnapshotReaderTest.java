package dev.vfiokit.iommucheck;

import dev.vfiokit.iommucheck.fixture.FixtureHosts;
import dev.vfiokit.iommucheck.host.Hugepages;
import dev.vfiokit.iommucheck.host.HostRoot;
import dev.vfiokit.iommucheck.host.HostSnapshot;
import dev.vfiokit.iommucheck.host.HostSnapshotReader;
import dev.vfiokit.iommucheck.host.PciAddress;
import dev.vfiokit.iommucheck.host.PciDevice;
import dev.vfiokit.iommucheck.host.PciIdNames;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class HostSnapshotReaderTest {
    @TempDir
    Path dir;

    @Test
    void readsCpuIommuInterruptsAndModulesOfTheEpycServer() {
        HostSnapshot h = Fixtures.read(FixtureHosts.epycServer(), dir);
        assertThat(h.cpu().isAmd()).isTrue();
        assertThat(h.cpu().flags()).contains("svm");
        assertThat(h.cpu().logicalCpus()).isEqualTo(64);
        assertThat(h.kvmDevice()).isTrue();
        assertThat(h.acpiTables()).contains("IVRS").doesNotContain("DMAR");
        assertThat(h.iommuUnits()).containsExactly("ivhd0", "ivhd1", "ivhd2", "ivhd3");
        assertThat(h.interruptRemapping().remapped()).isTrue();
        assertThat(h.interruptRemapping().allowUnsafeInterrupts()).isFalse();
        assertThat(h.moduleLoaded("vfio-pci")).isTrue();
        assertThat(h.moduleAvailable("mdev")).isTrue();
        assertThat(h.moduleAvailable("nonexistent")).isFalse();
        assertThat(h.cmdline()).contains("iommu=pt");
    }

    @Test
    void readsNumaNodesHugepagesAndSmtSiblings() {
        HostSnapshot h = Fixtures.read(FixtureHosts.epycServer(), dir);
        assertThat(h.numaNodes()).hasSize(2);
        assertThat(h.numaNode(0).orElseThrow().cpus()).hasSize(32).contains(0, 15, 32, 47).doesNotContain(16, 48);
        assertThat(h.numaNode(0).orElseThrow().hugepages()).contains(new Hugepages(1048576, 64, 64));
        assertThat(h.numaNode(1).orElseThrow().hugepages()).contains(new Hugepages(2048, 8192, 4096));
        assertThat(h.cpuThreads()).hasSize(64);
        assertThat(h.cpuThreads().get(5).siblings()).containsExactly(5, 37);
        assertThat(h.cpuThreads().get(40).numaNode()).isEqualTo(0);
        assertThat(h.cpuThreads().get(20).numaNode()).isEqualTo(1);
    }

    @Test
    void readsEachNodesMemoryFromItsMeminfoAndProcMeminfoOnAHostWithoutNuma() throws Exception {
        HostSnapshot h = Fixtures.read(FixtureHosts.epycServer(), dir.resolve("epyc"));
        // 256 GiB a node installed; the kernel's MemTotal a little below, as the fixture writes it
        assertThat(h.numaNodes()).extracting(n -> n.memoryKib()).containsExactly(264241152L, 264241152L);
        assertThat(h.memoryKib()).isEqualTo(528482304L);
        // the real files' shape: "Node 0 MemTotal:" in a node's meminfo, "MemTotal:" in /proc/meminfo
        Path flat = dir.resolve("flat");
        Files.createDirectories(flat.resolve("proc"));
        Files.writeString(flat.resolve("proc/meminfo"), "MemTotal:       32768000 kB\nMemFree:        1000 kB\n");
        assertThat(new HostSnapshotReader(new HostRoot(flat)).read("flat").memoryKib()).isEqualTo(32768000L);
        Path node = dir.resolve("node/sys/devices/system/node/node0");
        Files.createDirectories(node);
        Files.writeString(node.resolve("cpulist"), "0-3\n");
        Files.writeString(node.resolve("meminfo"), "Node 0 MemTotal:       16384000 kB\nNode 0 MemFree:        8000 kB\n");
        assertThat(new HostSnapshotReader(new HostRoot(dir.resolve("node"))).read("node").memoryKib()).isEqualTo(16384000L);
        // a meminfo that does not read, or none, is memory not known (0): nothing is judged by it
        Files.writeString(node.resolve("meminfo"), "Node 0 MemTotal:       lots\n");
        assertThat(new HostSnapshotReader(new HostRoot(dir.resolve("node"))).read("node").memoryKib()).isZero();
        assertThat(new HostSnapshotReader(new HostRoot(dir.resolve("none"))).read("none").memoryKib()).isZero();
    }

    @Test
    void readsEveryPciFunctionWithItsDriverGroupLinkResetRomAndNuma() {
        HostSnapshot h = Fixtures.read(FixtureHosts.epycServer(), dir);
        PciDevice gpu = h.device(PciAddress.parse("61:00.0")).orElseThrow();
        assertThat(gpu.ids()).isEqualTo("10de:2230");
        assertThat(gpu.isGpu()).isTrue();
        assertThat(gpu.driver()).isEqualTo("nvidia");
        assertThat(gpu.numaNode()).isEqualTo(1);
        assertThat(gpu.link().narrowerThanCapable()).isTrue();
        assertThat(gpu.link().describeCurrent()).isEqualTo("x8 Gen4 (16.0 GT/s PCIe)");
        assertThat(gpu.resetMethods()).containsExactly("flr", "bus");
        assertThat(gpu.hasRom()).isTrue();
        assertThat(gpu.bootVga()).isFalse();
        assertThat(h.siblings(gpu)).extracting(d -> d.address().toString()).containsExactly("0000:61:00.1");
        PciDevice bmc = h.device(PciAddress.parse("c2:00.0")).orElseThrow();
        assertThat(bmc.bootVga()).isTrue();
        assertThat(bmc.canReset()).isFalse();
        PciDevice port = h.device(PciAddress.parse("60:01.1")).orElseThrow();
        assertThat(port.isBridge()).isTrue();
        assertThat(h.group(gpu.iommuGroup()).orElseThrow().members()).hasSize(2);
    }

    @Test
    void readsSriovPhysicalAndVirtualFunctions() {
        HostSnapshot h = Fixtures.read(FixtureHosts.epycServer(), dir);
        PciDevice pf = h.device(PciAddress.parse("c1:00.0")).orElseThrow();
        assertThat(pf.sriov().totalVfs()).isEqualTo(128);
        assertThat(pf.sriov().numVfs()).isEqualTo(4);
        assertThat(pf.sriov().virtfns()).extracting(PciAddress::toString)
                .containsExactly("0000:c1:02.0", "0000:c1:02.1", "0000:c1:02.2", "0000:c1:02.3");
        assertThat(pf.netdevs()).containsExactly("ens1f0np0");
        PciDevice vf = h.device(PciAddress.parse("c1:02.1")).orElseThrow();
        assertThat(vf.physfn()).isEqualTo(pf.address());
        assertThat(vf.isVirtualFunction()).isTrue();
        assertThat(vf.driver()).isEqualTo("iavf");
        assertThat(vf.iommuGroup()).isNotNull().isNotEqualTo(pf.iommuGroup());
        assertThat(h.defaultRouteDevice().orElseThrow().address()).hasToString("0000:c3:00.0");
    }

    @Test
    void readsEarlyBindingFromModprobeDriverctlAndCmdline() {
        HostSnapshot h = Fixtures.read(FixtureHosts.epycServer(), dir);
        assertThat(h.earlyBinding().vfioIds()).containsExactlyInAnyOrder("10de:2230", "10de:1aef");
        assertThat(h.earlyBinding().softdepsBeforeVfio()).containsExactly("nvidia");
        assertThat(h.earlyBinding().driverctlOverrides()).containsEntry(PciAddress.parse("21:00.0"), "vfio-pci");
        PciDevice gpu1 = h.device(PciAddress.parse("21:00.0")).orElseThrow();
        assertThat(h.earlyBinding().configuredFor(gpu1)).startsWith("driverctl");
    }

    @Test
    void namesDevicesFromTheHostsPciIds() {
        HostSnapshot h = Fixtures.read(FixtureHosts.epycServer(), dir);
        PciIdNames names = PciIdNames.load(new HostRoot(dir), h.devices());
        assertThat(names.describe(h.device(PciAddress.parse("01:00.0")).orElseThrow()))
                .isEqualTo("NVIDIA Corporation GA102GL [RTX A6000]");
        assertThat(names.describe(h.device(PciAddress.parse("05:00.0")).orElse(h.devices().get(0)))).isNotBlank();
    }

    @Test
    void readsMdevParentsTheirTypesAndExistingMdevs() {
        HostSnapshot h = Fixtures.read(FixtureHosts.epycServer(), dir);
        var t4 = h.mdevParent("0000:a1:00.0").orElseThrow();
        assertThat(t4.pciAddress()).hasToString("0000:a1:00.0");
        assertThat(t4.types()).extracting(t -> t.id() + "=" + t.availableInstances())
                .contains("nvidia-222=16", "nvidia-223=7", "nvidia-231=1");
        assertThat(t4.types().get(0).description()).contains("framebuffer=1024M");
        assertThat(h.mdevs()).containsExactly(new dev.vfiokit.iommucheck.host.MediatedDevice(
                "b8a7d9e2-6c1f-4e0a-9d3b-2f6a1c4e5d70", "0000:a1:00.0", "nvidia-223", 70));
        HostSnapshot vfs = Fixtures.read(FixtureHosts.sriovVgpuServer(true), dir.resolve("vgpu"));
        assertThat(vfs.mdevParents()).hasSize(4).allMatch(p -> p.types().size() == 2);
    }

    @Test
    void toleratesAnEmptyTreeAndDevicesWithoutGroupsOrLinks() throws Exception {
        HostSnapshot empty = new HostSnapshotReader(new HostRoot(dir)).read("empty");
        assertThat(empty.devices()).isEmpty();
        assertThat(empty.groups()).isEmpty();
        assertThat(empty.iommuActive()).isFalse();
        assertThat(empty.numaNodes()).hasSize(1);
        // a device directory with nothing but a vendor file, as virtual devices can look
        Path d = dir.resolve("sys/bus/pci/devices/0000:00:05.0");
        Files.createDirectories(d);
        Files.writeString(d.resolve("vendor"), "0x1af4\n");
        HostSnapshot one = new HostSnapshotReader(new HostRoot(dir)).read("partial");
        PciDevice dev = one.devices().get(0);
        assertThat(dev.vendorId()).isEqualTo(0x1af4);
        assertThat(dev.iommuGroup()).isNull();
        assertThat(dev.link()).isNull();
        assertThat(dev.sriov()).isNull();
        assertThat(dev.driver()).isNull();
    }
}
