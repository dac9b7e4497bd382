package dev.vfiokit.tests;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vfiokit.iommucheck.fixture.FixtureHosts;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The vgpu commands on the L40S fixture (NVIDIA vendor-specific VFIO vGPU: VFs on nvidia, 41:00.5 a 12Q vGPU): what
 * they report, the plan they print, and the refusals, each one line and an exit code; the tree is never changed.
 */
class VgpuCliTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;

    private static Map<String, String> env;
    private static String root;

    @BeforeAll
    static void tree() {
        env = Map.of("XDG_CACHE_HOME", dir.resolve("cache").toString(), "XDG_STATE_HOME", dir.resolve("state").toString());
        FixtureHosts.l40sVgpu(true).writeTo(dir.resolve("l40s"));
        root = dir.resolve("l40s").toString();
    }

    @Test
    void typesListAndCheckShowTheVendorFramework() throws Exception {
        Cli.Result t = Cli.run(env, "vgpu", "types", "--root", root, "--json");
        assertThat(t.exitCode()).isZero();
        JsonNode types = JSON.readTree(t.out()).get("gpus").get(0).get("types");
        assertThat(types).hasSize(1);
        assertThat(types.get(0).get("id").asInt()).isEqualTo(1177);
        assertThat(types.get(0).get("freeVfs").asInt()).isEqualTo(3);
        Cli.Result l = Cli.run(env, "vgpu", "list", "--root", root);
        assertThat(l.exitCode()).isZero();
        assertThat(l.out()).containsPattern("0000:41:00.5\\s+0000:41:00.0\\s+1177\\s+NVIDIA L40S-12Q").contains("0000:41:00.4", "free");
        Cli.Result c = Cli.run(env, "check", "--root", root, "--json");
        assertThat(JSON.readTree(c.out()).get("findings").findValuesAsText("id")).contains("vgpu.vendor");
    }

    @Test
    void createPrintsTheWriteAndRefusesWhatTheVfsCannotTake() throws Exception {
        Path file = dir.resolve("l40s/sys/bus/pci/devices/0000:41:00.4/nvidia/current_vgpu_type");
        Cli.Result plan = Cli.run(env, "vgpu", "create", "--gpu", "0000:41:00.0", "--type", "NVIDIA L40S-12Q", "--root", root, "--dry-run");
        assertThat(plan.exitCode()).isZero();
        assertThat(plan.out()).contains("echo 1177 > /sys/bus/pci/devices/0000:41:00.4/nvidia/current_vgpu_type");
        Cli.Result wrong = Cli.run(env, "vgpu", "create", "--gpu", "0000:41:00.0", "--type", "1182", "--root", root, "--dry-run");
        assertThat(wrong.exitCode()).isEqualTo(65);
        assertThat(wrong.err()).contains("can take vGPU type '1182' now (creatable now: 1177 (NVIDIA L40S-12Q)").doesNotContain("\tat ");
        assertThat(wrong.err().strip().lines()).hasSize(1);
        Cli.Result both = Cli.run(env, "vgpu", "create", "--type", "1177", "--root", root, "--dry-run");
        assertThat(both.exitCode()).isEqualTo(64);
        Cli.Result real = Cli.run(env, "vgpu", "create", "--gpu", "0000:41:00.0", "--type", "1177", "--root", root);
        assertThat(real.exitCode()).isEqualTo(64);
        assertThat(real.err()).contains("is a snapshot, not a kernel: use --dry-run");
        Cli.Result bind = Cli.run(env, "bind", "--device", "0000:41:00.4", "--root", root, "--dry-run");
        assertThat(bind.exitCode()).isEqualTo(65);
        assertThat(bind.err()).contains("vendor-specific VFIO vGPU VF: it stays on nvidia");
        assertThat(Files.readString(file).strip()).isEqualTo("0");
    }

    @Test
    void domainGenerateGivesAGuestTheVgpuOfItsTypeOrSaysHowToMakeOne() throws Exception {
        Cli.Result g = Cli.run(env, "domain", "generate", "--root", root, "--template", "gpu-compute", "--name", "v1",
                "--vgpu-type", "NVIDIA L40S-12Q", "--json");
        assertThat(g.exitCode()).isZero();
        JsonNode j = JSON.readTree(g.out());
        assertThat(j.get("xml").asText()).contains("managed=\"no\"", "function=\"0x5\"", "<uuid>");
        assertThat(j.get("notes").toString()).contains("using 0000:41:00.5, a vGPU of type 1177 no domain holds");
        Cli.Result none = Cli.run(env, "domain", "generate", "--root", root, "--template", "gpu-compute", "--name", "v2",
                "--vgpu-type", "1182");
        assertThat(none.exitCode()).isEqualTo(65);
        assertThat(none.err()).contains("no GPU on host").contains("can take vGPU type '1182' now");
    }
}
