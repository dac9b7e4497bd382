package dev.vfiokit.tests;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** loss's refusals: one line, the documented exit code, before any guest is started or any workload runs. */
class LossCliTest {
    @TempDir
    Path state;

    private Cli.Result run(String... args) throws Exception {
        return Cli.run(Map.of("XDG_STATE_HOME", state.toString()), args);
    }

    @Test
    void aRemoteHostOrTheDemoHostIsRefusedBecauseTheHostSideRunsHere() throws Exception {
        Cli.Result remote = run("loss", "measure", "--domain", "g", "--connect", "qemu+ssh://root@gpu1.invalid/system");
        assertThat(remote.exitCode()).isEqualTo(65);
        assertThat(remote.err().strip()).startsWith("vfiokit: loss measure runs the host side on this machine").doesNotContain("\n");
        Cli.Result demo = run("loss", "measure", "--domain", "g", "--connect", "test:///default");
        assertThat(demo.exitCode()).isEqualTo(65);
        assertThat(demo.err()).contains("test driver (the demo host) runs none");
    }

    @Test
    void badWorkloadsAndCountsAreUsageErrors() throws Exception {
        assertThat(run("loss", "measure", "--domain", "g", "--workload", "gpu").err()).contains("unknown workload 'gpu'");
        Cli.Result both = run("loss", "measure", "--domain", "g", "--workload", "cpu", "--command", "/bin/true");
        assertThat(both.exitCode()).isEqualTo(64);
        assertThat(both.err()).contains("--command runs with --workload command");
        assertThat(run("loss", "measure", "--domain", "g", "--workload", "command").err()).contains("needs --command");
        Cli.Result zero = run("loss", "measure", "--domain", "g", "--repeat", "0", "--connect", "test:///default");
        assertThat(zero.exitCode()).isEqualTo(64);
        assertThat(zero.err()).contains("--repeat '0': give a whole number from 1 to 1000");
        assertThat(run("loss", "measure", "--domain", "g", "--workload", "storage", "--dir", "/tmp/$(reboot)").err()).contains("--dir");
        assertThat(run("loss", "measure", "--domain", "g", "--after", "later").err()).contains("--after 'later'");
    }

    @Test
    void aSaveFileVfiokitDidNotWriteIsRefusedBeforeAnythingStarts() throws Exception {
        java.nio.file.Path notes = java.nio.file.Files.writeString(state.resolve("notes.txt"), "the admin's notes\n");
        Cli.Result r = run("loss", "measure", "--domain", "g", "--save", notes.toString());
        assertThat(r.exitCode()).isEqualTo(65);
        assertThat(r.err()).isEqualTo("vfiokit: refusing to replace " + notes + ": vfiokit did not write it (remove it first, or name"
                + " another file)\n");
        assertThat(java.nio.file.Files.readString(notes)).isEqualTo("the admin's notes\n");
        assertThat(run("loss", "measure", "--domain", "g", "--save", "/dev/null").err()).contains("it is not a regular file");
    }

    @Test
    void listAndCompareSayWhatIsMissing() throws Exception {
        Cli.Result list = run("loss", "list");
        assertThat(list.exitCode()).isZero();
        assertThat(list.out()).contains("no saved results in " + state.resolve("vfiokit/loss"));
        assertThat(run("loss", "list", "--json").out()).contains("\"results\"");
        Cli.Result compare = run("loss", "compare", "--before", "a.json", "--after", "b.json");
        assertThat(compare.exitCode()).isEqualTo(65);
        assertThat(compare.err()).contains("no loss result 'a.json'");
    }
}
