package dev.vfiokit.vfio;

import dev.vfiokit.iommucheck.fixture.FixtureHosts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What the one writer and the one command runner refuse, and the modes of vfiokit's own state. */
class HostSafetyTest {
    @TempDir
    Path dir;

    @Test
    void aTreeOrTheDemoRunsNoCommandAndOnlyTheMachineItselfIsChangeable() {
        HostTarget tree = HostTarget.tree(dir);
        assertThatThrownBy(() -> tree.commands().run(List.of("modprobe", "vfio-pci"), Duration.ofSeconds(1)))
                .isInstanceOf(VfioFailure.class).hasMessageContaining("runs no command for it (would run: modprobe vfio-pci)");
        assertThat(tree.changeable()).isFalse();
        assertThat(HostTarget.demo(dir).changeable()).isFalse();
        assertThat(HostTarget.local().changeable()).isTrue();
        assertThat(HostTarget.local().commands()).isInstanceOf(SystemCommands.class);
        assertThat(tree.options()).containsExactly("--root", dir.toString());
    }

    @Test
    void targetOptionsAreParsedOnceAndContradictionsRefused() {
        assertThat(HostTarget.parse(null, null, null, () -> dir).kind()).isEqualTo(HostTarget.Kind.LOCAL);
        assertThat(HostTarget.parse("demo", null, null, () -> dir).kind()).isEqualTo(HostTarget.Kind.DEMO);
        assertThat(HostTarget.parse("local", dir.toString(), null, () -> dir).kind()).isEqualTo(HostTarget.Kind.TREE);
        assertThat(HostTarget.parse(null, null, "qemu:///system", () -> dir).kind()).isEqualTo(HostTarget.Kind.LIBVIRT);
        assertThatThrownBy(() -> HostTarget.parse("demo", dir.toString(), null, () -> dir)).hasMessageContaining("not both");
        assertThatThrownBy(() -> HostTarget.parse(null, dir.toString(), "qemu:///system", () -> dir)).hasMessageContaining("not both");
        assertThatThrownBy(() -> HostTarget.parse("gpu7", null, null, () -> dir)).hasMessageContaining("unknown host 'gpu7'");
    }

    @Test
    void writesStayInTheirBaseDirectory() throws Exception {
        FixtureHosts.epycServer().writeTo(dir);
        HostWriter w = new HostWriter(HostTarget.tree(dir));
        Path victim = Files.writeString(dir.resolve("victim"), "keep");
        assertThatThrownBy(() -> w.delete("/victim")).hasMessageContaining("vfiokit writes only in");
        assertThatThrownBy(() -> w.delete("/etc/mdevctl.d/p/../../../victim")).isInstanceOf(RuntimeException.class);
        assertThatThrownBy(() -> w.writeFile("/etc/passwd", "x")).hasMessageContaining("vfiokit writes only in");
        assertThatThrownBy(() -> w.write("/etc/modprobe.d/x.conf", "x")).hasMessageContaining("not a sysfs attribute");
        // a link planted in vfiokit's directory cannot carry a write out of it
        Files.createDirectories(dir.resolve("etc"));
        Files.createSymbolicLink(dir.resolve("etc/mdevctl.d"), dir);
        assertThatThrownBy(() -> w.delete("/etc/mdevctl.d/victim")).hasMessageContaining("leads out of /etc/mdevctl.d");
        assertThat(victim).hasContent("keep");
    }

    @Test
    void theJournalAndLockArePrivateAndAnOpenStateDirectoryIsRefused() throws Exception {
        Path state = dir.resolve("state");
        Operation op = new Operation(Operation.Kind.BIND, "persist", List.of(Step.configFile("/etc/driverctl.d/pci-0000:61:00.0", "vfio-pci\n", "at boot")),
                List.of(), List.of(new FileState("/etc/driverctl.d/pci-0000:61:00.0", null)), List.of(), List.of(), List.of());
        FixtureHosts.epycServer().writeTo(dir.resolve("tree"));
        PlanRunner runner = new PlanRunner(new HostWriter(HostTarget.tree(dir.resolve("tree"))), state);
        runner.apply(op);
        assertThat(mode(state)).isEqualTo("rwx------");
        assertThat(mode(state.resolve("journal"))).isEqualTo("rwx------");
        assertThat(mode(state.resolve("lock"))).isEqualTo("rw-------");
        try (var s = Files.list(state.resolve("journal"))) {
            assertThat(s.toList()).isNotEmpty().allSatisfy(f -> assertThat(mode(f)).isEqualTo("rw-------"));
        }
        Files.setPosixFilePermissions(state, PosixFilePermissions.fromString("rwxrwxrwx"));
        assertThatThrownBy(() -> runner.apply(op)).isInstanceOf(VfioFailure.class).hasMessageContaining("writable by other users");
        Files.setPosixFilePermissions(state, PosixFilePermissions.fromString("rwxr-xr-x"));
        PrivateFiles.directory(state);
        assertThat(mode(state)).as("an older, readable state directory is closed").isEqualTo("rwx------");
    }

    private static String mode(Path p) {
        try {
            return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
