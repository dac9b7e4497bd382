package dev.vfiokit.tests;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vfiokit.libvirt.DomainSummary;
import dev.vfiokit.libvirt.LibvirtConnection;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** A small manifest against a real libvirtd (host facts through libvirt alone, no host devices): apply, again, destroy. */
@Tag("libvirtd")
class ProvisionRealLibvirtTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    @Test
    void applyTwiceThenDestroyOnQemuSystem() throws Exception {
        String p = "vfiokit-prov-" + ProcessHandle.current().pid();
        Path f = tmp.resolve("real.yaml");
        Files.writeString(f, """
                hosts:
                  here: qemu:///system
                vms:
                  - {name: %1$s-a, host: here, template: gpu-compute, profile: balanced, vcpus: 1, memory: 512MiB, pin: false}
                  - {name: %1$s-b, host: here, template: sriov-nfv, vcpus: 1, memory: 512MiB, pin: false}
                """.formatted(p));
        Map<String, String> env = Map.of("XDG_CACHE_HOME", tmp.toString(), "XDG_STATE_HOME", tmp.toString(), "XDG_CONFIG_HOME", tmp.toString());
        Cli.Result apply = Cli.run(env, "provision", "apply", "--file", f.toString(), "--json");
        assertThat(apply.exitCode()).as(apply.err() + apply.out()).isZero();
        assertThat(JSON.readTree(apply.out()).get("summary").get("created").asInt()).isEqualTo(2);
        try (LibvirtConnection c = LibvirtConnection.open("qemu:///system", true)) {
            assertThat(c.domains()).extracting(DomainSummary::name).contains(p + "-a", p + "-b");
            assertThat(c.dumpXml(p + "-a", true)).contains("vfiokit provision sha256:", "<memballoon model='none'/>");
        }
        JsonNode again = JSON.readTree(Cli.run(env, "provision", "apply", "--file", f.toString(), "--json").out());
        assertThat(again.get("summary").get("skipped").asInt()).isEqualTo(2);
        JsonNode destroy = JSON.readTree(Cli.run(env, "provision", "destroy", "--file", f.toString(), "--json").out());
        assertThat(destroy.get("summary").get("removed").asInt()).isEqualTo(2);
        try (LibvirtConnection c = LibvirtConnection.open("qemu:///system", true)) {
            assertThat(c.domains()).extracting(DomainSummary::name).doesNotContain(p + "-a", p + "-b");
        }
    }
}
