package dev.vfiokit.vfio;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class OutputFileTest {
    private static final Predicate<String> OURS = before -> before.startsWith("# vfiokit");

    @TempDir
    Path dir;

    @Test
    void aNewFileIsWrittenTheSameTextLeftAsItIsAndVfiokitsOwnReplaced() throws Exception {
        Path f = dir.resolve("out.conf");
        assertThat(OutputFile.write(f.toString(), "# vfiokit 1\n", OURS)).isEqualTo(OutputFile.Outcome.WROTE);
        assertThat(OutputFile.write(f.toString(), "# vfiokit 1\n", OURS)).isEqualTo(OutputFile.Outcome.UNCHANGED);
        assertThat(OutputFile.write(f.toString(), "# vfiokit 2\n", OURS)).isEqualTo(OutputFile.Outcome.WROTE);
        assertThat(Files.readString(f)).isEqualTo("# vfiokit 2\n");
        // new files 0644 (a Nova drop-in is read by the nova user); a replaced one keeps its mode
        assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(f))).isEqualTo("rw-r--r--");
        Files.setPosixFilePermissions(f, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r-----"));
        OutputFile.write(f.toString(), "# vfiokit 3\n", OURS);
        assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(f))).isEqualTo("rw-r-----");
        // an empty file is a placeholder made for it
        Path empty = Files.createFile(dir.resolve("empty.conf"));
        assertThat(OutputFile.write(empty.toString(), "# vfiokit 1\n", OURS)).isEqualTo(OutputFile.Outcome.WROTE);
        try (var s = Files.list(dir)) {
            assertThat(s.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("out.conf", "empty.conf");
        }
    }

    @Test
    void whatVfiokitDidNotWriteIsRefusedAndLeftAsItWas() throws Exception {
        Path fstab = Files.writeString(dir.resolve("fstab"), "UUID=1234 / ext4 defaults 0 1\n");
        assertThatThrownBy(() -> OutputFile.write(fstab.toString(), "# vfiokit\n", OURS)).isInstanceOf(OutputFile.Refused.class)
                .hasMessage("refusing to replace " + fstab + ": vfiokit did not write it (remove it first, or name another file)")
                .satisfies(e -> assertThat(((OutputFile.Refused) e).io()).isFalse());
        assertThatThrownBy(() -> OutputFile.check(fstab.toString(), OURS)).isInstanceOf(OutputFile.Refused.class);
        assertThat(Files.readString(fstab)).isEqualTo("UUID=1234 / ext4 defaults 0 1\n");
        Path image = dir.resolve("disk.img");
        Files.write(image, new byte[] {0, (byte) 0xff, (byte) 0xfe, 1});
        assertThatThrownBy(() -> OutputFile.write(image.toString(), "# vfiokit\n", OURS)).hasMessageEndingWith("(it is not text)");
        try (var big = java.nio.channels.FileChannel.open(dir.resolve("big.img"), java.nio.file.StandardOpenOption.CREATE_NEW,
                java.nio.file.StandardOpenOption.WRITE)) {
            big.write(java.nio.ByteBuffer.wrap("# vfiokit".getBytes()), 32L << 20);
        }
        assertThatThrownBy(() -> OutputFile.write(dir.resolve("big.img").toString(), "# vfiokit\n", OURS))
                .hasMessageContaining("vfiokit did not write it");
        try (var s = Files.list(dir)) {
            assertThat(s.filter(p -> p.getFileName().toString().endsWith(".tmp"))).isEmpty();
        }
    }

    @Test
    void aLinkADirectoryOrADeviceIsNeverWrittenThroughOrReplaced() throws Exception {
        Path target = Files.writeString(dir.resolve("target"), "# vfiokit old\n");
        Path link = Files.createSymbolicLink(dir.resolve("link.conf"), target);
        assertThatThrownBy(() -> OutputFile.write(link.toString(), "# vfiokit new\n", OURS))
                .hasMessage("refusing to write " + link + ": it is not a regular file (a symbolic link); name a new file");
        assertThat(Files.isSymbolicLink(link)).isTrue();
        assertThat(Files.readString(target)).isEqualTo("# vfiokit old\n");
        assertThatThrownBy(() -> OutputFile.write(dir.toString(), "# vfiokit\n", OURS)).hasMessageContaining("(a directory)");
        assertThatThrownBy(() -> OutputFile.write("/dev/null", "# vfiokit\n", OURS))
                .hasMessage("refusing to write /dev/null: it is not a regular file (a device, FIFO or socket); name a new file");
        assertThatThrownBy(() -> OutputFile.check(dir.resolve("no/such/x.conf").toString(), OURS))
                .hasMessage("cannot write " + dir.resolve("no/such/x.conf") + ": no directory " + dir.resolve("no/such"))
                .satisfies(e -> assertThat(((OutputFile.Refused) e).io()).isTrue());
    }
}
