package dev.vfiokit.tests;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vfiokit.libvirt.DomainSummary;
import dev.vfiokit.libvirt.LibvirtConnection;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Several libvirt hosts on this machine (tests/multihost/hosts.sh: a network namespace each, with its own libvirtd,
 * virtlogd and sshd), reached as qemu+ssh://root@ADDR/system with a key made for the run, plus one host that accepts
 * TCP on port 22 and never answers. vfiokit's commands across them, and the Ansible collection driving them.
 */
@Tag("multihost")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MultiHostTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private Path bed;
    private String h1;
    private String h2;
    private String hang;
    private Map<String, String> env;

    @BeforeAll
    void hostsUp() throws Exception {
        bed = Files.createTempDirectory("vfiokit-multihost");
        assertThat(sh(List.of("bash", script(), "up", bed.toString(), "2")).exitCode()).isZero();
        List<String> lines = Files.readAllLines(bed.resolve("hosts"));
        h1 = lines.get(0).split(" ")[2];
        h2 = lines.get(1).split(" ")[2];
        Result r = sh(List.of("bash", script(), "hang", bed.toString()));
        assertThat(r.exitCode()).as(r.out()).isZero();
        hang = r.out().strip();
        env = Map.of("XDG_CACHE_HOME", bed.resolve("cache").toString(), "XDG_STATE_HOME", bed.resolve("state").toString(),
                "XDG_CONFIG_HOME", bed.resolve("config").toString());
    }

    @AfterAll
    void hostsDown() throws Exception {
        if (bed != null) {
            sh(List.of("bash", script(), "down", bed.toString()));
        }
    }

    private static String script() {
        return Repo.root().resolve("tests/multihost/hosts.sh").toString();
    }

    @Test
    void eachHostHasItsOwnLibvirt() {
        try (LibvirtConnection a = LibvirtConnection.open(h1, false); LibvirtConnection b = LibvirtConnection.open(h2, true)) {
            a.define("<domain type='qemu'><name>only-on-h1</name><memory unit='MiB'>64</memory><os><type arch='x86_64'>hvm</type></os></domain>");
            try {
                assertThat(a.domains()).extracting(DomainSummary::name).contains("only-on-h1");
                assertThat(b.domains()).extracting(DomainSummary::name).doesNotContain("only-on-h1");
                assertThat(a.hostUuid()).isNotEqualTo(b.hostUuid());
            } finally {
                a.undefine("only-on-h1");
            }
        }
    }

    @Test
    void checkAndGroupsReadEveryHostInParallelAndReportTheSilentOne() throws Exception {
        Cli.Result check = Cli.run(env, "check", "--connect", h1 + "," + h2, "--connect", hang, "--timeout", "5", "--json");
        assertThat(check.exitCode()).as(check.err()).isEqualTo(69);
        JsonNode j = JSON.readTree(check.out());
        assertThat(j.get("reached").asInt()).isEqualTo(2);
        assertThat(j.get("notReached").asInt()).isEqualTo(1);
        assertThat(j.get("hosts")).hasSize(3);
        for (int i = 0; i < 2; i++) {
            assertThat(j.get("hosts").get(i).get("report").get("host").asText()).startsWith("libvirt:qemu+ssh://root@10.231.");
            assertThat(j.get("hosts").get(i).get("report").get("findings")).isNotEmpty();
        }
        assertThat(j.get("hosts").get(2).get("uri").asText()).isEqualTo(hang);
        assertThat(j.get("hosts").get(2).get("error").asText()).contains("no answer within 5 s");
        // the ssh libvirt started for the silent host was ended with the command
        String addr = hang.replaceAll("^qemu\\+ssh://root@([0-9.]+)/.*$", "$1");
        assertThat(ProcessHandle.allProcesses().filter(p -> p.info().command().orElse("").endsWith("/ssh")
                && List.of(p.info().arguments().orElse(new String[0])).contains(addr))).isEmpty();

        Cli.Result groups = Cli.run(env, "groups", "--connect", h1, "--connect", h2);
        assertThat(groups.exitCode()).as(groups.err()).isZero();
        assertThat(groups.out()).contains("== " + h1 + "\n", "== " + h2 + "\n", "2 of 2 hosts reached");
    }

    @Test
    void domainsAreGeneratedTunedAndListedOverSsh() throws Exception {
        String name = "ssh-" + ProcessHandle.current().pid();
        Cli.Result gen = Cli.run(env, "domain", "generate", "--connect", h1, "--template", "gpu-compute", "--name", name,
                "--vcpus", "1", "--memory", "512MiB", "--define");
        assertThat(gen.exitCode()).as(gen.err() + gen.out()).isZero();
        assertThat(gen.out()).contains("defined " + name + " on " + h1)
                // the hint's URI carries '&': quoted, so it pastes as one word
                .contains("virsh -c '" + h1 + "' net-start default");
        try {
            Cli.Result tune = Cli.run(env, "tune", "--domain", name, "--connect", h1, "--profile", "balanced", "--apply");
            assertThat(tune.exitCode()).as(tune.err() + tune.out()).isZero();
            assertThat(tune.out()).contains("redefined " + name + " on " + h1);
            try (LibvirtConnection c = LibvirtConnection.open(h1, true)) {
                assertThat(c.dumpXml(name, true)).contains("<memballoon model='none'/>");
            }
            JsonNode list2 = JSON.readTree(Cli.run(env, "domain", "list", "--connect", h2, "--json").out());
            assertThat(list2.toString()).doesNotContain(name);
        } finally {
            try (LibvirtConnection c = LibvirtConnection.open(h1, false)) {
                c.undefine(name);
            }
        }
    }

    @Test
    void oneListingPassReadsEveryDefinitionOverSshAsDumpXmlWould() {
        try (LibvirtConnection c = LibvirtConnection.open(h2, false)) {
            List<String> names = new ArrayList<>();
            for (int i = 0; i < 24; i++) {
                names.add("bulk-" + i);
                c.define("<domain type='qemu'><name>bulk-" + i + "</name><memory unit='MiB'>" + (64 + i)
                        + "</memory><os><type arch='x86_64'>hvm</type></os></domain>");
            }
            try {
                Map<String, String> defs = c.definitions();
                assertThat(defs.keySet()).containsAll(names);
                for (String n : names) {
                    assertThat(defs.get(n)).isEqualTo(c.dumpXml(n, true));
                }
            } finally {
                names.forEach(c::undefine);
            }
        }
    }

    @Test
    void provisioningSpansHostsInParallelAndASilentHostFailsOnlyItsOwnVms() throws Exception {
        String p = "mh-" + ProcessHandle.current().pid();
        Path f = bed.resolve(p + ".yaml");
        Files.writeString(f, """
                hosts:
                  h1: "%2$s"
                  h2: "%3$s"
                  silent: "%4$s"
                vms:
                  - {name: %1$s-a, host: h1, template: gpu-compute, profile: balanced, vcpus: 1, memory: 512MiB, pin: false}
                  - {name: %1$s-b, host: h2, template: gpu-compute, profile: balanced, vcpus: 1, memory: 512MiB, pin: false}
                  - {name: %1$s-c, host: h2, template: sriov-nfv, vcpus: 1, memory: 512MiB, pin: false}
                  - {name: %1$s-d, host: silent, template: gpu-compute, vcpus: 1, memory: 512MiB, pin: false}
                """.formatted(p, h1, h2, hang));
        Cli.Result plan = Cli.run(env, "provision", "plan", "--file", f.toString(), "--timeout", "5", "--json");
        assertThat(plan.exitCode()).as(plan.err()).isEqualTo(69);
        JsonNode pj = JSON.readTree(plan.out());
        Map<String, String> status = new HashMap<>();
        pj.get("vms").forEach(v -> status.put(v.get("name").asText(), v.get("status").asText()));
        assertThat(status).containsEntry(p + "-a", "CREATE").containsEntry(p + "-b", "CREATE").containsEntry(p + "-c", "CREATE")
                .containsEntry(p + "-d", "NOT_REACHED");
        assertThat(pj.get("notReached").get("silent").asText()).contains("no answer within 5 s");

        Cli.Result apply = Cli.run(env, "provision", "apply", "--file", f.toString(), "--timeout", "5", "--json");
        assertThat(apply.exitCode()).as(apply.err()).isEqualTo(74);
        JsonNode aj = JSON.readTree(apply.out());
        assertThat(aj.get("summary").get("created").asInt()).isEqualTo(3);
        assertThat(aj.get("summary").get("failed").asInt()).isEqualTo(1);
        assertThat(aj.get("vms").toString()).contains("host silent not reached");
        try (LibvirtConnection a = LibvirtConnection.open(h1, true); LibvirtConnection b = LibvirtConnection.open(h2, true)) {
            assertThat(a.domains()).extracting(DomainSummary::name).contains(p + "-a").doesNotContain(p + "-b", p + "-c");
            assertThat(b.domains()).extracting(DomainSummary::name).contains(p + "-b", p + "-c").doesNotContain(p + "-a");
        }

        Files.writeString(f, Files.readString(f).replaceAll("(?m)^  silent: .*\\n", "").replaceAll("(?m)^.*host: silent.*\\n", ""));
        JsonNode again = JSON.readTree(Cli.run(env, "provision", "apply", "--file", f.toString(), "--json").out());
        assertThat(again.get("summary").get("skipped").asInt()).isEqualTo(3);
        assertThat(again.get("exitCode").asInt()).isZero();

        JsonNode dry = JSON.readTree(Cli.run(env, "provision", "destroy", "--file", f.toString(), "--dry-run", "--json").out());
        assertThat(dry.get("summary").get("removed").asInt()).isEqualTo(3);
        try (LibvirtConnection b = LibvirtConnection.open(h2, true)) {
            assertThat(b.domains()).extracting(DomainSummary::name).contains(p + "-b", p + "-c");
        }
        JsonNode destroy = JSON.readTree(Cli.run(env, "provision", "destroy", "--file", f.toString(), "--json").out());
        assertThat(destroy.get("summary").get("removed").asInt()).isEqualTo(3);
        try (LibvirtConnection a = LibvirtConnection.open(h1, true); LibvirtConnection b = LibvirtConnection.open(h2, true)) {
            assertThat(a.domains()).extracting(DomainSummary::name).doesNotContain(p + "-a");
            assertThat(b.domains()).extracting(DomainSummary::name).doesNotContain(p + "-b", p + "-c");
        }
    }

    @Test
    void theAnsibleFleetPlaybookChangesOnceThenNothingAndCheckModeWritesNothing() throws Exception {
        String p = "ans-" + ProcessHandle.current().pid();
        Path manifest = bed.resolve(p + ".yaml");
        Files.writeString(manifest, """
                hosts:
                  h1: "%2$s"
                  h2: "%3$s"
                vms:
                  - {name: %1$s-a, host: h1, template: gpu-compute, profile: balanced, vcpus: 1, memory: 512MiB, pin: false}
                  - {name: %1$s-b, host: h2, template: sriov-nfv, vcpus: 1, memory: 512MiB, pin: false}
                """.formatted(p, h1, h2));
        Path work = Files.createDirectories(bed.resolve(p));
        try {
            List<String> fleet = List.of("ansible-playbook", "-i", bed.resolve("ansible-inventory.ini").toString(),
                    playbook("fleet.yml"), "-e", "manifest=" + manifest, "-e", "workdir=" + work, "-e", "vfiokit=" + Repo.root().resolve("vfiokit"));
            JsonNode first = ansible(fleet);
            assertThat(stat(first, "h1", "failures") + stat(first, "h2", "failures") + stat(first, "localhost", "failures"))
                    .as(failures(first)).isZero();
            assertThat(stat(first, "h1", "changed")).isEqualTo(1);          // the Nova file, written
            assertThat(stat(first, "h2", "changed")).isEqualTo(1);
            assertThat(stat(first, "localhost", "changed")).isEqualTo(1);   // the VMs, defined
            assertThat(Files.readString(work.resolve("h1-nova.conf"))).startsWith("# vfiokit export nova: host local");
            JsonNode facts = task(first, "pre-flight check, as facts", "h1");
            assertThat(facts.get("ansible_facts").get("vfiokit_check").get("findings")).isNotEmpty();
            assertThat(facts.get("changed").asBoolean()).isFalse();
            try (LibvirtConnection a = LibvirtConnection.open(h1, true); LibvirtConnection b = LibvirtConnection.open(h2, true)) {
                assertThat(a.domains()).extracting(DomainSummary::name).contains(p + "-a");
                assertThat(b.domains()).extracting(DomainSummary::name).contains(p + "-b");
            }

            JsonNode second = ansible(fleet);
            for (String h : List.of("h1", "h2", "localhost")) {
                assertThat(stat(second, h, "changed")).as("second run on " + h).isZero();
                assertThat(stat(second, h, "failures")).as(failures(second)).isZero();
                assertThat(stat(second, h, "ok")).isPositive();
            }

            // the demo's tree under this test's cache, read before the check-mode run: its files must stay as they are
            assertThat(Cli.run(env, "devices", "--host", "demo").exitCode()).isZero();
            List<String> demoFiles = demoDriverOverrides();
            assertThat(demoFiles).anyMatch(f -> f.contains("0000:01:00.0/driver_override="));
            JsonNode check = ansible(List.of("ansible-playbook", playbook("prepare-check.yml"), "--check", "--diff",
                    "-e", "vfiokit=" + Repo.root().resolve("vfiokit")));
            assertThat(stat(check, "localhost", "changed")).isEqualTo(4);
            assertThat(stat(check, "localhost", "ignored")).isEqualTo(1);
            JsonNode bind = task(check, "the RTX A6000 with its audio function on vfio-pci", "localhost");
            assertThat(bind.get("diff").toString()).contains("/sys/bus/pci/devices/0000:01:00.0/driver_override = vfio-pci");
            assertThat(task(check, "the existing GRID T4-2B mdev (already there, so unchanged)", "localhost").get("changed").asBoolean()).isFalse();
            JsonNode refused = task(check, "the NIC that carries the demo's default route (refused by vfiokit)", "localhost");
            assertThat(refused.get("msg").asText()).isEqualTo("refused: 0000:c3:00.0 carries the default route (eno1) (--force overrides)");
            assertThat(demoDriverOverrides()).isEqualTo(demoFiles);
        } finally {
            Cli.run(env, "provision", "destroy", "--file", manifest.toString());
        }
    }

    private static String playbook(String name) {
        return Repo.root().resolve("shell/ansible/ansible_collections/vfiokit/host/playbooks/" + name).toString();
    }

    /** The driver_override files of the demo's cached tree: check mode must leave them as they are. */
    private List<String> demoDriverOverrides() throws IOException {
        List<String> out = new ArrayList<>();
        Path cache = bed.resolve("cache");
        if (Files.isDirectory(cache)) {
            try (var s = Files.walk(cache)) {
                for (Path x : s.filter(x -> x.getFileName().toString().equals("driver_override")).sorted().toList()) {
                    out.add(x + "=" + Files.readString(x));
                }
            }
        }
        return out;
    }

    /** ansible-playbook with tests/multihost's results_json callback: the whole run as one document. */
    private JsonNode ansible(List<String> cmd) throws Exception {
        Map<String, String> e = new HashMap<>(env);
        e.put("ANSIBLE_COLLECTIONS_PATH", Repo.root().resolve("shell/ansible").toString());
        e.put("ANSIBLE_STDOUT_CALLBACK", "results_json");
        e.put("ANSIBLE_CALLBACK_PLUGINS", Repo.root().resolve("tests/multihost/callback_plugins").toString());
        e.put("ANSIBLE_HOST_KEY_CHECKING", "False");
        e.put("ANSIBLE_LOCALHOST_WARNING", "False");
        e.put("ANSIBLE_INVENTORY_UNPARSED_WARNING", "False");
        e.put("ANSIBLE_LOCAL_TEMP", bed.resolve("ansible-tmp").toString());
        Result r = sh(cmd, e);
        assertThat(r.out()).as("ansible-playbook printed no JSON: " + r.err()).contains("\"stats\"");
        return JSON.readTree(r.out().substring(r.out().indexOf('{')));
    }

    private static int stat(JsonNode run, String host, String what) {
        JsonNode h = run.get("stats").get(host);
        return h == null ? 0 : h.get(what).asInt();
    }

    /** Every failed task of a run: host, task, vfiokit's message. */
    private static String failures(JsonNode run) {
        StringBuilder sb = new StringBuilder();
        for (JsonNode play : run.get("plays")) {
            for (JsonNode t : play.get("tasks")) {
                t.get("hosts").fields().forEachRemaining(h -> {
                    if (h.getValue().path("failed").asBoolean()) {
                        sb.append(h.getKey()).append(" / ").append(t.get("task").get("name").asText()).append(": ")
                                .append(h.getValue().path("msg").asText()).append('\n');
                    }
                });
            }
        }
        return sb.toString();
    }

    private static JsonNode task(JsonNode run, String name, String host) {
        for (JsonNode play : run.get("plays")) {
            for (JsonNode t : play.get("tasks")) {
                if (t.get("task").get("name").asText().equals(name)) {
                    return t.get("hosts").get(host);
                }
            }
        }
        throw new AssertionError("no task '" + name + "' in the run");
    }

    private record Result(int exitCode, String out, String err) {
    }

    private static Result sh(List<String> cmd) throws Exception {
        return sh(cmd, Map.of());
    }

    private static Result sh(List<String> cmd, Map<String, String> env) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        pb.environment().putAll(env);
        Path out = Files.createTempFile("mh-out", ".txt");
        Path err = Files.createTempFile("mh-err", ".txt");
        pb.redirectOutput(out.toFile()).redirectError(err.toFile());
        Process p = pb.start();
        if (!p.waitFor(600, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException(String.join(" ", cmd) + " did not finish in 600 s");
        }
        try {
            return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }
}
