package dev.vfiokit.tests;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vfiokit.iommucheck.fixture.FixtureHosts;
import dev.vfiokit.iommucheck.fixture.HostTree;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every fix vfiokit prints is a command that works when pasted: the hints of `check` on the demo host and on every
 * fixture host, the notes of `unbind` and the undo that `tune --apply` names, are collected from the output, then run as printed (with --dry-run where
 * they would change a host) in one script. Each must exit 0, and each must name the host that was checked.
 */
class PrintedHintsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> CHANGING = Set.of("bind", "unbind", "undo", "vf create", "vf remove", "vf set",
            "mdev create", "mdev remove", "persist remove", "mdev persist remove");

    @TempDir
    Path tmp;

    /** The vfiokit commands in a hint: "vfiokit" and its words, up to a "(" word or a word that ends in ; , or ). */
    static List<String> commands(String text) {
        List<String> out = new ArrayList<>();
        for (String line : text.lines().toList()) {
            out.addAll(commandsInLine(line));
        }
        return out;
    }

    private static List<String> commandsInLine(String text) {
        List<String> out = new ArrayList<>();
        for (int i = text.indexOf("vfiokit "); i >= 0; i = text.indexOf("vfiokit ", i + 8)) {
            List<String> words = new ArrayList<>();
            for (String w : text.substring(i + 8).split(" ")) {
                if (w.startsWith("(")) {
                    break;
                }
                String bare = w.replaceAll("[;,)]+$", "");
                if (!bare.isEmpty()) {
                    words.add(bare);
                }
                if (!bare.equals(w)) {
                    break;
                }
            }
            out.add(String.join(" ", words));
        }
        return out;
    }

    @Test
    void theCommandInAHintIsCutWhereItsProseBegins() {
        assertThat(commands("vfiokit bind --group --device 0000:01:00.0 --host demo (stop whatever uses the GPU first), and more"))
                .containsExactly("bind --group --device 0000:01:00.0 --host demo");
        assertThat(commands("give guests its mdevs: vfiokit mdev types --parent 0000:a1:00.0; binding it ends them"))
                .containsExactly("mdev types --parent 0000:a1:00.0");
        assertThat(commands("remove unused mdevs (see: vfiokit mdev list --root /t), or use another parent"))
                .containsExactly("mdev list --root /t");
    }

    @Test
    void everyFixCheckAndUnbindPrintIsACompleteCommandForTheSameHostThatExitsZero() throws Exception {
        Map<String, String> env = Map.of("XDG_CACHE_HOME", tmp.resolve("cache").toString(),
                "XDG_STATE_HOME", tmp.resolve("state").toString(), "XDG_CONFIG_HOME", tmp.resolve("config").toString(),
                "VFIOKIT_STATE_DIR", tmp.resolve("journal").toString());
        Map<String, List<String>> hosts = new LinkedHashMap<>();
        hosts.put("demo", List.of("--host", "demo"));
        Map<String, HostTree> fixtures = Map.of("workstation", FixtureHosts.intelWorkstation(), "consumer", FixtureHosts.consumerBoard(),
                "vgpu-vfs-off", FixtureHosts.sriovVgpuServer(false), "vgpu-vfs-on", FixtureHosts.sriovVgpuServer(true),
                "iommu-off", FixtureHosts.iommuOffInKernel("6.8.0-45-generic"), "efifb", FixtureHosts.bootVgaEfifb());
        for (var f : fixtures.entrySet()) {
            Path root = tmp.resolve(f.getKey());
            f.getValue().writeTo(root);
            hosts.put(f.getKey(), List.of("--root", root.toString()));
        }
        Set<String> lines = new LinkedHashSet<>();
        for (var h : hosts.entrySet()) {
            String opts = String.join(" ", h.getValue());
            List<String> args = new ArrayList<>(List.of("check", "--json"));
            args.addAll(h.getValue());
            Cli.Result r = Cli.run(env, args.toArray(String[]::new));
            assertThat(r.err()).as(h.getKey()).isEmpty();
            for (JsonNode f : JSON.readTree(r.out()).get("findings")) {
                for (String c : commands(f.get("hint").asText())) {
                    assertThat(c).as("a hint of " + f.get("id").asText() + " on " + h.getKey() + " names its host").endsWith(opts);
                    lines.add(c);
                }
            }
        }
        Cli.Result unbind = Cli.run(env, "unbind", "--device", "0000:21:00.0", "--host", "demo", "--dry-run");
        assertThat(unbind.exitCode()).as(unbind.err()).isZero();
        List<String> notes = commands(unbind.out());
        assertThat(notes).containsExactly("persist remove --device 0000:21:00.0 --host demo");
        lines.addAll(notes);
        // tune --apply names its undo for the same host
        Cli.Result gen = Cli.run(env, "domain", "generate", "--host", "demo", "--template", "gpu-compute", "--name", "hint-vm",
                "--gpu", "0000:41:00.0", "--define");
        assertThat(gen.exitCode()).as(gen.err()).isZero();
        Cli.Result tuned = Cli.run(env, "tune", "--domain", "hint-vm", "--profile", "compute-headless", "--host", "demo", "--apply");
        assertThat(tuned.exitCode()).as(tuned.err()).isZero();
        List<String> undo = commands(tuned.out());
        assertThat(undo).containsExactly("tune undo --domain hint-vm --host demo");
        lines.addAll(undo);

        // domain generate's hints for the demo run as printed: the demo takes them as dry runs
        Cli.Result trust = Cli.run(env, "domain", "generate", "--host", "demo", "--template", "sriov-nfv", "--name", "hint-vf",
                "--vf", "ens1f0np0,vf=1,trust=on", "--json");
        Cli.Result noVfs = Cli.run(env, "domain", "generate", "--host", "demo", "--template", "sriov-nfv", "--name", "hint-vf",
                "--vf", "ens1f1np1");
        List<String> asPrinted = new ArrayList<>(commands(JSON.readTree(trust.out()).get("notes").toString().replace("\",\"", "\n")));
        asPrinted.addAll(commands(noVfs.err()));
        assertThat(asPrinted).anyMatch(c -> c.startsWith("vf set ")).anyMatch(c -> c.startsWith("vf create ")).allMatch(c -> c.endsWith("--dry-run")
                || c.contains("--dry-run "));
        for (String c : asPrinted) {
            Cli.Result r = Cli.run(env, c.split(" "));
            assertThat(r.exitCode()).as(c + ": " + r.err()).isZero();
        }

        // the collection cannot be empty or one-sided: it holds binds, VF creation and mdev advice
        assertThat(lines).anyMatch(c -> c.startsWith("bind --group --device")).anyMatch(c -> c.startsWith("vf create --pf"))
                .anyMatch(c -> c.startsWith("mdev types --parent")).anyMatch(c -> c.startsWith("persist remove"))
                .noneMatch(c -> c.contains(" N ") || c.endsWith(" N"));
        List<String> script = new ArrayList<>();
        for (String c : lines) {
            boolean changes = CHANGING.stream().anyMatch(v -> c.equals(v) || c.startsWith(v + " "));
            script.add(changes ? c + " --dry-run" : c);
        }
        Path file = tmp.resolve("hints.vk");
        Files.write(file, script);
        Cli.Result all = Cli.run(env, "--script", file.toString(), "--continue-on-error");
        assertThat(all.err()).as(String.join("\n", script)).isEmpty();
        assertThat(all.exitCode()).isZero();
    }
}
