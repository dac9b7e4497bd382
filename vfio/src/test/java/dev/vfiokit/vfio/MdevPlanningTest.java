package dev.vfiokit.vfio;

import dev.vfiokit.iommucheck.fixture.FixtureHosts;
import dev.vfiokit.iommucheck.host.HostRoot;
import dev.vfiokit.iommucheck.host.HostSnapshot;
import dev.vfiokit.iommucheck.host.HostSnapshotReader;
import dev.vfiokit.iommucheck.host.MdevUuid;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** mdev plans on the NVIDIA layouts (types on the GPU; types on its VFs); the kernel's answers are proven in the VM host. */
class MdevPlanningTest {
    @TempDir
    Path dir;

    private HostSnapshot epyc() {
        FixtureHosts.epycServer().writeTo(dir);
        return new HostSnapshotReader(new HostRoot(dir)).read("epyc");
    }

    @Test
    void anMdevctlDefinitionIsJsonWhateverTheTypeNameHolds() throws Exception {
        String json = MdevctlDefinition.json("odd\"type\\x");
        var node = new com.fasterxml.jackson.databind.ObjectMapper().readTree(json);
        assertThat(node.get("mdev_type").asText()).isEqualTo("odd\"type\\x");
        assertThat(node.get("start").asText()).isEqualTo("auto");
    }

    @Test
    void creatingWritesAUuidToTheTypesCreateFileAndChecksTheDeviceAppears() {
        Operation op = new MdevPlanner(epyc()).create("0000:a1:00.0", "GRID T4-8Q", MdevUuid.parse("11111111-2222-3333-4444-555555555555"), 1, true);
        assertThat(op.steps()).hasSize(2);
        Step create = op.steps().get(0);
        assertThat(create.file()).isEqualTo("/sys/devices/pci0000:a0/0000:a0:03.1/0000:a1:00.0/mdev_supported_types/nvidia-230/create");
        assertThat(create.value()).isEqualTo("11111111-2222-3333-4444-555555555555");
        assertThat(create.expect().text()).isEqualTo("exists /sys/bus/mdev/devices/11111111-2222-3333-4444-555555555555");
        Step persist = op.steps().get(1);
        assertThat(persist.file()).isEqualTo("/etc/mdevctl.d/0000:a1:00.0/11111111-2222-3333-4444-555555555555");
        assertThat(persist.value()).isEqualTo("{\n  \"mdev_type\": \"nvidia-230\",\n  \"start\": \"auto\",\n  \"attrs\": []\n}\n");
        assertThat(op.mdevs()).containsExactly(new MdevState("11111111-2222-3333-4444-555555555555",
                "/sys/devices/pci0000:a0/0000:a0:03.1/0000:a1:00.0", "nvidia-230", false));
    }

    @Test
    void whatTheKernelWouldRefuseIsRefusedFirstWithItsErrno() {
        MdevPlanner p = new MdevPlanner(epyc());
        assertThatThrownBy(() -> p.create("0000:a1:00.0", "nvidia-231", null, 2, false)).hasMessageContaining("1 free instance(s), 2 asked")
                .hasMessageContaining("ENOSPC");
        assertThatThrownBy(() -> p.create("0000:a1:00.0", "nvidia-223", MdevUuid.parse("b8a7d9e2-6c1f-4e0a-9d3b-2f6a1c4e5d70"), 1, false))
                .hasMessageContaining("EEXIST");
        assertThatThrownBy(() -> MdevUuid.parse("not-a-uuid")).hasMessageContaining("is not an mdev UUID");
        assertThatThrownBy(() -> p.create("0000:a1:00.0", "nvidia-999", null, 1, false)).hasMessageContaining("has no type 'nvidia-999'")
                .hasMessageContaining("nvidia-222 \"GRID T4-1B\"");
        assertThatThrownBy(() -> p.create("0000:61:00.0", "nvidia-222", null, 1, false)).hasMessageContaining("no mediated-device parent");
    }

    @Test
    void removingRefusesAnMdevADomainUsesAndJournalsItForRecreation() {
        MdevPlanner p = new MdevPlanner(epyc());
        String u = "b8a7d9e2-6c1f-4e0a-9d3b-2f6a1c4e5d70";
        MdevUuid id = MdevUuid.parse(u);
        assertThatThrownBy(() -> p.remove(List.of(id), false, Map.of(u, "desk-7"))).hasMessageContaining("used by domain 'desk-7'");
        Operation op = p.remove(List.of(id), true, Map.of(u, "desk-7"));
        assertThat(op.steps().get(0).file()).isEqualTo("/sys/bus/mdev/devices/" + u + "/remove");
        assertThat(op.steps().get(0).expect().text()).isEqualTo("absent /sys/bus/mdev/devices/" + u);
        assertThat(op.mdevs()).containsExactly(new MdevState(u, "/sys/devices/pci0000:a0/0000:a0:03.1/0000:a1:00.0", "nvidia-223", true));
        assertThatThrownBy(() -> p.remove(List.of(MdevUuid.parse("00000000-0000-0000-0000-000000000000")), false, Map.of())).hasMessageContaining("no mdev");
    }

    @Test
    void anMdevUuidThatWouldTraverseOutOfMdevctlsDirectoryIsNeverAPath() {
        for (String hostile : List.of("../../../../victim.txt", "../x", "/etc/passwd", "11111111-2222-3333-4444-555555555555/../../x",
                "11111111-2222-3333-4444-55555555555g", "", " ")) {
            assertThatThrownBy(() -> MdevUuid.parse(hostile)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("is not an mdev UUID");
        }
        assertThat(MdevUuid.parse("B8A7D9E2-6C1F-4E0A-9D3B-2F6A1C4E5D70").value()).isEqualTo("b8a7d9e2-6c1f-4e0a-9d3b-2f6a1c4e5d70");
    }

    @Test
    void vgpuTypesOnVfsAreCreatedOnTheVf() {
        FixtureHosts.sriovVgpuServer(true).writeTo(dir);
        HostSnapshot h = new HostSnapshotReader(new HostRoot(dir)).read("a40");
        Operation op = new MdevPlanner(h).create("0000:17:00.4", "NVIDIA A40-48C", null, 1, false);
        assertThat(op.steps().get(0).file()).endsWith("/0000:17:00.4/mdev_supported_types/nvidia-566/create");
        assertThat(op.steps().get(0).value()).matches("[0-9a-f-]{36}");
    }

    @Test
    void kernelAnswersToCreateAreExplained() {
        assertThat(KernelErrors.explain("/x/create", "File exists")).contains("EEXIST");
        assertThat(KernelErrors.explain("/x/create", "No space left on device")).contains("ENOSPC");
        assertThat(KernelErrors.explain("/x/create", "Invalid argument")).contains("EINVAL: not a UUID");
    }
}
