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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code loss measure} against a real guest: a Linux kernel booted by this machine's libvirtd under QEMU TCG
 * (tests/loss/guest.sh) with qemu-guest-agent, the workload run on the host and through the agent inside. The figures
 * are TCG's (large, meaningless for KVM); what this proves is the mechanism: start, agent, timed runs on both sides,
 * causes, the guest put back as it was, results saved and compared before and after {@code tune --apply}.
 */
@Tag("libvirtd")
class LossRealGuestTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path state;

    @Test
    void aGuestIsStartedMeasuredThroughItsAgentPutBackAndComparedBeforeAndAfterTuning() throws Exception {
        String name = "vfiokit-loss-" + ProcessHandle.current().pid();
        Path dir = Path.of("/var/tmp", name);
        Process prep = new ProcessBuilder("bash", Repo.root().resolve("tests/loss/guest.sh").toString(), dir.toString(), name)
                .redirectErrorStream(true).start();
        String prepOut = new String(prep.getInputStream().readAllBytes());
        assertThat(prep.waitFor(900, TimeUnit.SECONDS)).isTrue();
        assertThat(prep.exitValue()).as(prepOut).isZero();
        Map<String, String> env = Map.of("XDG_STATE_HOME", state.toString(), "XDG_CONFIG_HOME", state.resolve("config").toString());
        Path hostOnly = Path.of("/run", name + ".host-only");
        try (LibvirtConnection c = LibvirtConnection.open("qemu:///system", false)) {
            c.define(Files.readString(dir.resolve(name + ".xml")));
            try {
                // 1. shut off: started, measured, left running as asked
                Cli.Result first = Cli.run(env, "loss", "measure", "--domain", name, "--size", "8", "--repeat", "3",
                        "--after", "keep", "--json", "--save", state.resolve("before.json").toString());
                assertThat(first.exitCode()).as(first.err()).isZero();
                JsonNode m = JSON.readTree(first.out());
                assertThat(m.path("host").path("seconds")).hasSize(3);
                assertThat(m.path("guest").path("seconds")).hasSize(3);
                assertThat(m.path("host").path("medianSeconds").asDouble()).isPositive();
                // TCG translates every instruction: the guest is slower by far, and the verdict says no band applies
                assertThat(m.path("guest").path("medianSeconds").asDouble()).isGreaterThan(m.path("host").path("medianSeconds").asDouble());
                assertThat(m.path("lossPercent").asDouble()).isPositive();
                assertThat(m.path("domainType").asText()).isEqualTo("qemu");
                assertThat(m.path("kind").asText()).isEqualTo("none");
                assertThat(m.path("verdict").asText()).isEqualTo("not-comparable");
                assertThat(m.path("causes").get(0).path("concern").asText()).isEqualTo("emulation");
                assertThat(rules(m.path("causes"))).contains("usb-none", "vmport-off", "hpet-off");
                assertThat(first.err()).contains("starting " + name, "run 3/3", "left " + name + " running");
                assertThat(c.state(name)).isEqualTo(DomainSummary.State.RUNNING);

                // 2. running: used as it runs; a program only the host can run fails in the guest, said in one line
                Files.writeString(hostOnly, "");
                Cli.Result onlyHost = Cli.run(env, "loss", "measure", "--domain", name, "--workload", "command",
                        "--command", "test -e " + hostOnly, "--repeat", "1", "--warmup", "0", "--json");
                assertThat(onlyHost.exitCode()).isEqualTo(65);
                assertThat(onlyHost.err()).contains("the workload failed on " + name + " (exit 1)").doesNotContain("Exception");
                assertThat(c.state(name)).isEqualTo(DomainSummary.State.RUNNING);
                c.stop(name, true);

                // 3. tuned with compute-headless, measured again (started, destroyed after), compared
                // the fix each rule's cause prints is the complete command: run as printed
                String fix = m.path("causes").findValuesAsText("fix").stream().filter(f -> f.startsWith("vfiokit tune")).findFirst().orElseThrow();
                assertThat(fix).isEqualTo("vfiokit tune --domain " + name + " --profile compute-headless --apply");
                Cli.Result tune = Cli.run(env, fix.substring("vfiokit ".length()).split(" "));
                assertThat(tune.exitCode()).as(tune.err()).isZero();
                Cli.Result second = Cli.run(env, "loss", "measure", "--domain", name, "--size", "8", "--repeat", "3",
                        "--after", "destroy", "--json", "--save", state.resolve("after.json").toString());
                assertThat(second.exitCode()).as(second.err()).isZero();
                assertThat(rules(JSON.readTree(second.out()).path("causes"))).doesNotContain("usb-none", "vmport-off", "hpet-off");
                assertThat(c.state(name)).isEqualTo(DomainSummary.State.SHUT_OFF);
                Cli.Result compare = Cli.run(env, "loss", "compare", "--before", state.resolve("before.json").toString(),
                        "--after", state.resolve("after.json").toString(), "--json");
                assertThat(compare.exitCode()).as(compare.err()).isZero();
                JsonNode cmp = JSON.readTree(compare.out());
                assertThat(rules(cmp.path("resolved"))).contains("usb-none", "vmport-off", "hpet-off");
                assertThat(cmp.path("remaining").get(0).path("concern").asText()).isEqualTo("emulation");
                Cli.Result text = Cli.run(env, "loss", "compare", "--before", state.resolve("before.json").toString(),
                        "--after", state.resolve("after.json").toString());
                assertThat(text.out()).contains("before", "after", "loss moved", "causes resolved:", "causes left:");

                // 4. a guest without an agent channel is refused before it is started
                String noAgent = Files.readString(dir.resolve(name + ".xml")).replaceAll("(?s)<channel.*?</channel>", "")
                        .replace("<name>" + name + "</name>", "<name>" + name + "-na</name>");
                c.define(noAgent);
                try {
                    Cli.Result refused = Cli.run(env, "loss", "measure", "--domain", name + "-na");
                    assertThat(refused.exitCode()).isEqualTo(65);
                    assertThat(refused.err()).contains("has no qemu-guest-agent channel");
                    assertThat(c.state(name + "-na")).isEqualTo(DomainSummary.State.SHUT_OFF);
                } finally {
                    c.undefine(name + "-na");
                }
            } finally {
                Files.deleteIfExists(hostOnly);
                if (c.state(name).active()) {
                    c.stop(name, true);
                }
                c.undefine(name);
                try (var files = Files.walk(dir)) {
                    files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                }
            }
        }
    }

    private static List<String> rules(JsonNode causes) {
        List<String> out = new ArrayList<>();
        causes.forEach(c -> out.add(c.path("rule").asText()));
        return out;
    }
}
