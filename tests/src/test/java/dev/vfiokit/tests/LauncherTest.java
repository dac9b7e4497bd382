package dev.vfiokit.tests;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** The launcher as installed: through a symlink on PATH, on every JDK of this machine, with nothing on stderr. */
class LauncherTest {
    @TempDir
    Path dir;

    private record Run(int code, String out, String err) {
    }

    private Run launch(Path launcher, Map<String, String> env, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(launcher.toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        pb.environment().put("XDG_CACHE_HOME", dir.resolve("cache").toString());
        pb.environment().put("XDG_STATE_HOME", dir.resolve("state").toString());
        pb.environment().putAll(env);
        Path out = dir.resolve("out"), err = dir.resolve("err");
        Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(300, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("the launcher did not finish: " + cmd);
        }
        return new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
    }

    /** The JDK running the tests, and every other JDK 17+ installed where the launcher looks. */
    private static List<Path> jdks() throws Exception {
        List<Path> out = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"))));
        Path jvm = Path.of("/usr/lib/jvm");
        if (Files.isDirectory(jvm)) {
            try (Stream<Path> s = Files.list(jvm)) {
                for (Path j : s.filter(j -> Files.isExecutable(j.resolve("bin/java")) && Files.exists(j.resolve("release"))).toList()) {
                    String release = Files.readString(j.resolve("release"));
                    boolean supported = release.matches("(?s).*JAVA_VERSION=\"(1[7-9]|[2-9][0-9]).*");
                    if (supported && out.stream().noneMatch(o -> sameJdk(o, j))) {
                        out.add(j);
                    }
                }
            }
        }
        return out;
    }

    private static boolean sameJdk(Path a, Path b) {
        try {
            return a.toRealPath().equals(b.toRealPath());
        } catch (java.io.IOException e) {
            return false;
        }
    }

    @Test
    void aLibvirtCommandPrintsNothingOnStderrOnEveryInstalledJdk() throws Exception {
        Path launcher = Repo.root().resolve("vfiokit");
        for (Path jdk : jdks()) {
            Run r = launch(launcher, Map.of("JAVA_HOME", jdk.toString()), "domain", "list", "--host", "demo");
            assertThat(r.code()).as(jdk + ": " + r.err()).isZero();
            assertThat(r.err()).as("stderr on " + jdk).isEmpty();
            assertThat(r.out()).contains("domains on test://");
        }
    }

    @Test
    void theLauncherWorksThroughASymlinkAndAnswersHelpAndVersion() throws Exception {
        Path link = Files.createSymbolicLink(dir.resolve("vfiokit"), Repo.root().resolve("vfiokit"));
        try {
            versionAndHelpThrough(link);
        } finally {
            Files.delete(link);
        }
    }

    private void versionAndHelpThrough(Path link) throws Exception {
        Run v = launch(link, Map.of(), "--version");
        assertThat(v.code()).as(v.err()).isZero();
        assertThat(v.out()).startsWith("vfiokit ").contains("(build ");
        for (String h : List.of("--help", "-h")) {
            Run r = launch(link, Map.of(), h);
            assertThat(r.code()).as(r.err()).isZero();
            assertThat(r.out()).contains("check", "bind", "domain generate");
            assertThat(r.err()).isEmpty();
        }
    }
}
