package dev.vfiokit.vfio;

import dev.vfiokit.iommucheck.fixture.FixtureHosts;
import dev.vfiokit.iommucheck.host.HostRoot;
import dev.vfiokit.iommucheck.host.HostSnapshot;
import dev.vfiokit.iommucheck.host.HostSnapshotReader;
import dev.vfiokit.iommucheck.host.PciAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * NVIDIA's vendor-specific VFIO vGPU on the L40S fixture (VFs 41:00.4-7 on nvidia, 41:00.5 a 12Q vGPU already, the
 * free VFs offering 12Q only): plans, refusals, and apply and undo on the tree. Not proven on a real kernel: the
 * nvidia vGPU manager is not something the VM host can load.
 */
class VgpuPlanningTest {
    private static final PciAddress GPU = PciAddress.parse("0000:41:00.0");

    @TempDir
    Path dir;

    private HostSnapshot l40s(boolean vfs) {
        Path tree = dir.resolve(vfs ? "tree" : "tree-no-vfs");
        FixtureHosts.l40sVgpu(vfs).writeTo(tree);
        return new HostSnapshotReader(new HostRoot(tree)).read("l40s");
    }

    @Test
    void theSnapshotReadsEachVfsTypeAndWhatItCanTakeNow() {
        HostSnapshot h = l40s(true);
        assertThat(new VgpuPlanner(h).vfs(GPU)).extracting(d -> d.address().toString())
                .containsExactly("0000:41:00.4", "0000:41:00.5", "0000:41:00.6", "0000:41:00.7");
        assertThat(h.device(PciAddress.parse("0000:41:00.5")).orElseThrow().vendorVgpu().currentType()).isEqualTo(1177);
        assertThat(h.device(PciAddress.parse("0000:41:00.4")).orElseThrow().vendorVgpu().creatable())
                .extracting(t -> t.id() + " " + t.name()).containsExactly("1177 NVIDIA L40S-12Q");
        assertThat(h.device(GPU).orElseThrow().vendorVgpu()).isNull();
    }

    @Test
    void aTypeIsWrittenToTheFirstFreeVfThatOffersItAndUndoReleasesIt() throws Exception {
        HostSnapshot h = l40s(true);
        Operation op = new VgpuPlanner(h).create(GPU, "NVIDIA L40S-12Q", Map.of(PciAddress.parse("0000:41:00.4"), "desk-1"));
        assertThat(op.steps()).singleElement().satisfies(s -> {
            assertThat(s.file()).isEqualTo("/sys/bus/pci/devices/0000:41:00.6/nvidia/current_vgpu_type");
            assertThat(s.value()).isEqualTo("1177");
            assertThat(s.expect().text()).isEqualTo("value /sys/bus/pci/devices/0000:41:00.6/nvidia/current_vgpu_type 1177");
        });
        PlanRunner runner = new PlanRunner(new HostWriter(HostTarget.tree(dir.resolve("tree"))), dir.resolve("state"));
        String id = runner.apply(op);
        Path file = dir.resolve("tree/sys/bus/pci/devices/0000:41:00.6/nvidia/current_vgpu_type");
        assertThat(Files.readString(file).strip()).isEqualTo("1177");
        assertThat(runner.journal().find(id).orElseThrow().operation().vgpus()).containsExactly(new VgpuState("0000:41:00.6", 0, 1177));
        runner.undo(id);
        assertThat(Files.readString(file).strip()).isEqualTo("0");
    }

    @Test
    void undoLeavesAVfThatSomethingElseChangedSince() throws Exception {
        HostSnapshot h = l40s(true);
        PlanRunner runner = new PlanRunner(new HostWriter(HostTarget.tree(dir.resolve("tree"))), dir.resolve("state"));
        String id = runner.apply(new VgpuPlanner(h).create(PciAddress.parse("0000:41:00.7"), "1177", Map.of()));
        Path file = dir.resolve("tree/sys/bus/pci/devices/0000:41:00.7/nvidia/current_vgpu_type");
        Files.writeString(file, "1178\n"); // released and made another type by someone else since
        assertThatThrownBy(() -> runner.undo(id)).hasMessageContaining("0000:41:00.7 has vGPU type 1178 now, not the 1177 vfiokit wrote");
        assertThat(Files.readString(file).strip()).isEqualTo("1178");
    }

    @Test
    void aTypeNotCreatableNowAVgpuInUseAndAGpuWithoutVfsAreRefused() {
        HostSnapshot h = l40s(true);
        VgpuPlanner p = new VgpuPlanner(h);
        assertThatThrownBy(() -> p.create(GPU, "1182", Map.of())).isInstanceOf(VfioFailure.class)
                .hasMessage("no free VF of 0000:41:00.0 can take vGPU type '1182' now (creatable now: 1177 (NVIDIA L40S-12Q); "
                        + "a GPU running one type offers only that type)");
        assertThatThrownBy(() -> p.create(PciAddress.parse("0000:41:00.5"), "1177", Map.of()))
                .hasMessageContaining("0000:41:00.5 is a vGPU of type 1177 already");
        assertThatThrownBy(() -> p.remove(PciAddress.parse("0000:41:00.5"), Map.of(PciAddress.parse("0000:41:00.5"), "desk-1")))
                .hasMessageContaining("is given to domain 'desk-1'");
        assertThatThrownBy(() -> p.remove(PciAddress.parse("0000:41:00.4"), Map.of())).hasMessageContaining("nothing to release");
        assertThat(p.remove(PciAddress.parse("0000:41:00.5"), Map.of()).vgpus()).containsExactly(new VgpuState("0000:41:00.5", 1177, 0));
        assertThatThrownBy(() -> new VgpuPlanner(l40s(false)).create(GPU, "1177", Map.of()))
                .hasMessageContaining("enable its VFs with /usr/lib/nvidia/sriov-manage -e 0000:41:00.0");
    }

    @Test
    void bindRefusesAVendorVgpuVf() {
        HostSnapshot h = l40s(true);
        assertThatThrownBy(() -> new BindPlanner(h, HostTarget.tree(dir.resolve("tree")))
                .bind(new BindRequest(java.util.List.of(PciAddress.parse("0000:41:00.4")), false, false, false, false, Map.of())))
                .hasMessageContaining("0000:41:00.4 is an NVIDIA vendor-specific VFIO vGPU VF: it stays on nvidia");
    }

    @Test
    void enablingSriovOnAGpuWithMigInstancesAndBindingItAreRefusedUnlessForced() {
        Path tree = dir.resolve("a100");
        FixtureHosts.a100Mig().writeTo(tree);
        HostSnapshot a100 = new HostSnapshotReader(new HostRoot(tree)).read("a100");
        assertThat(a100.migInstances(a100.device(PciAddress.parse("0000:c1:00.0")).orElseThrow())).contains(java.util.List.of("gi1", "gi2"));
        assertThatThrownBy(() -> new SriovPlanner(a100).create("0000:c1:00.0", 4, false, false))
                .hasMessage("refused: enabling SR-IOV on 0000:c1:00.0 wipes its MIG configuration (GPU instances gi1, gi2); for MIG-backed "
                        + "vGPU enable SR-IOV first, then create the MIG instances, then the vGPUs (--force overrides)");
        assertThat(new SriovPlanner(a100).create("0000:c1:00.0", 4, false, true).notes())
                .contains("enabling SR-IOV on 0000:c1:00.0 wipes its MIG configuration (GPU instances gi1, gi2): create them again after the VFs");
        assertThatThrownBy(() -> new BindPlanner(a100, HostTarget.tree(tree))
                .bind(new BindRequest(java.util.List.of(PciAddress.parse("0000:c1:00.0")), false, false, false, false, Map.of())))
                .hasMessageContaining("has MIG GPU instances (gi1, gi2), which the unbind destroys").hasMessageContaining("--force overrides");
    }
}
