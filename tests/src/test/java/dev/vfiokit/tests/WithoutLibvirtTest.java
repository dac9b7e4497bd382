package dev.vfiokit.tests;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A host without libvirt0 (a fresh machine, a plain-QEMU VFIO user): a mount namespace hides libvirt.so.0, and the
 * commands that do not need libvirt work, while those that do say so in one line naming the package.
 */
class WithoutLibvirtTest {
    @TempDir
    Path tmp;

    private record Run(int code, String out, String err) {
    }

    /** Runs the jar with libvirt.so.0 replaced by an empty file in a private mount namespace (needs root). */
    private Run run(String... args) throws Exception {
        Path lib = Path.of("/usr/lib/x86_64-linux-gnu/libvirt.so.0");
        String hide = Files.exists(lib) ? "mount --bind /dev/null " + lib.toRealPath() + " && " : "";
        StringBuilder cmd = new StringBuilder(hide + "exec env XDG_CACHE_HOME=" + tmp.resolve("cache") + " XDG_STATE_HOME="
                + tmp.resolve("state") + " " + Repo.java() + " -jar " + Repo.jar());
        for (String a : args) {
            cmd.append(" '").append(a).append("'");
        }
        Process p = new ProcessBuilder("unshare", "-m", "sh", "-c", cmd.toString())
                .redirectOutput(tmp.resolve("out").toFile()).redirectError(tmp.resolve("err").toFile()).start();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        return new Run(p.exitValue(), Files.readString(tmp.resolve("out")), Files.readString(tmp.resolve("err")));
    }

    @Test
    void commandsThatDoNotNeedLibvirtWorkAndTheOthersNameThePackage() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "a mount namespace needs root");
        Run probe = run("--version");
        assumeTrue(probe.code() == 0, "unshare -m is not allowed here: " + probe.err());

        Path manifest = tmp.resolve("demo.yaml");
        Files.writeString(manifest, run("provision", "example").out());
        Path dom = tmp.resolve("d.xml");
        Files.writeString(dom, "<domain type='kvm'><name>d</name><memory unit='MiB'>512</memory><vcpu>2</vcpu>"
                + "<os><type arch='x86_64' machine='q35'>hvm</type></os><devices/></domain>");
        List<String[]> fine = new ArrayList<>(List.of(
                new String[] {"template", "list"},
                new String[] {"devices", "--host", "demo"},
                new String[] {"bind", "--host", "demo", "--device", "0000:61:00.0", "--group", "--dry-run"},
                new String[] {"vf", "create", "--host", "demo", "--pf", "ens1f1np1", "--count", "2", "--dry-run"},
                new String[] {"mdev", "types", "--host", "demo"},
                new String[] {"tune", "--file", dom.toString(), "--profile", "balanced", "--host", "demo"},
                new String[] {"domain", "generate", "--host", "demo", "--template", "gpu-compute", "--name", "x",
                        "--gpu", "0000:41:00.0", "-o", tmp.resolve("x.xml").toString()}));
        for (String[] c : fine) {
            Run r = run(c);
            assertThat(r.code()).as(String.join(" ", c) + ": " + r.err()).isZero();
            assertThat(r.err()).as(String.join(" ", c)).doesNotContain("Exception", "NoClassDefFoundError");
        }
        assertThat(run("check", "--host", "demo", "--json").code()).isEqualTo(1);
        Run plan = run("provision", "plan", "--file", manifest.toString());
        assertThat(plan.code()).as(plan.err()).isZero();
        assertThat(plan.out()).contains("note: host demo: not checked against its defined domains", "install libvirt0", "CREATE trainer-01");

        for (String[] c : List.of(new String[] {"domain", "list", "--host", "demo"},
                new String[] {"provision", "apply", "--file", manifest.toString()})) {
            Run r = run(c);
            assertThat(r.code()).as(String.join(" ", c)).isEqualTo(69);
            assertThat(r.err().strip().lines()).hasSize(1);
            assertThat(r.err()).contains("install libvirt0");
        }
    }
}
