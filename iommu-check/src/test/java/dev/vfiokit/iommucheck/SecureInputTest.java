package dev.vfiokit.iommucheck;

import dev.vfiokit.iommucheck.host.HostRoot;
import dev.vfiokit.iommucheck.input.InputFile;
import dev.vfiokit.iommucheck.input.InputRejected;
import dev.vfiokit.iommucheck.input.SecureXml;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The one XML parser and the one file reader: what they refuse, and that they say it in one line. */
class SecureInputTest {
    @TempDir
    Path dir;

    @Test
    void doctypeEntitiesAndXincludeNeverReachTheDocument() {
        assertThatThrownBy(() -> SecureXml.parse("<?xml version='1.0'?>\n<!DOCTYPE d [<!ENTITY x SYSTEM 'file:///etc/passwd'>]>\n<d>&x;</d>", "the domain XML"))
                .isInstanceOf(InputRejected.class).hasMessage("the domain XML: DOCTYPE declarations are not accepted; remove the <!DOCTYPE ...> line (line 2)");
        var doc = SecureXml.parseNamespaced("<d xmlns:xi='http://www.w3.org/2001/XInclude'><xi:include href='/etc/passwd' parse='text'/></d>", "x");
        assertThat(doc.getDocumentElement().getTextContent()).doesNotContain("root:");
    }

    @Test
    void parseErrorsAreOneLineWithTheLineAndThePlatformParserPrintsNothing() {
        PrintStream err = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured));
        try {
            assertThatThrownBy(() -> SecureXml.parse("<domain>\n<name>x</name>\n<memory>", "the domain XML"))
                    .hasMessageStartingWith("the domain XML is not well-formed XML: ").hasMessageEndingWith("(line 3)")
                    .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
        } finally {
            System.setErr(err);
        }
        assertThat(captured.toString()).doesNotContain("[Fatal Error]").isEmpty();
        assertThatThrownBy(() -> SecureXml.parseNamespacedAt("<domain>\n<name>x</name>\n<memory>", "guest.xml"))
                .as("a file's error reads FILE:LINE, as a compiler's does")
                .hasMessageStartingWith("guest.xml:3: not well-formed XML: ").satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
        assertThatThrownBy(() -> SecureXml.parse("  ", "the domain XML")).hasMessage("the domain XML is empty");
    }

    @Test
    void documentsNestedDeeperThanTheLimitAreRefused() {
        String deep = "<a>".repeat(SecureXml.MAX_DEPTH + 5) + "</a>".repeat(SecureXml.MAX_DEPTH + 5);
        assertThatThrownBy(() -> SecureXml.parse(deep, "the domain XML")).hasMessageContaining("nested deeper than 100 levels");
        String ok = "<a>".repeat(20) + "</a>".repeat(20);
        assertThat(SecureXml.parse(ok, "x").getDocumentElement().getTagName()).isEqualTo("a");
    }

    @Test
    void onlyRegularFilesUnderTheLimitAreRead() throws Exception {
        Path fifo = dir.resolve("fifo");
        new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor();
        assertThatThrownBy(() -> InputFile.read(fifo, "manifest")).hasMessageContaining("not a regular file");
        assertThatThrownBy(() -> InputFile.read(dir, "manifest")).hasMessageContaining("is a directory");
        assertThatThrownBy(() -> InputFile.read(dir.resolve("nope"), "manifest")).hasMessageContaining("no such file");
        Path big = dir.resolve("big");
        try (var ch = java.nio.channels.FileChannel.open(big, java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.WRITE)) {
            ch.write(java.nio.ByteBuffer.wrap(new byte[] {1}), InputFile.LIMIT);
        }
        assertThatThrownBy(() -> InputFile.read(big, "domain XML")).hasMessageContaining("larger than the 16 MiB");
        Path latin1 = Files.write(dir.resolve("l1"), new byte[] {'a', (byte) 0xe9, 'b'});
        assertThatThrownBy(() -> InputFile.readStrictUtf8(latin1, "manifest")).hasMessageContaining("not UTF-8");
        assertThat(InputFile.read(Files.writeString(dir.resolve("ok"), "<domain/>"), "x")).isEqualTo("<domain/>");
    }

    @Test
    void hostPathsCannotClimbOutOfTheRoot() {
        HostRoot root = new HostRoot(dir);
        assertThatThrownBy(() -> root.path("/etc/mdevctl.d/p/../../../victim")).hasMessageContaining("'..' segment");
        assertThat(root.read("/etc/mdevctl.d/../../x")).isEmpty();
        assertThat(HostRoot.isInside("/etc/mdevctl.d/p/u", "/etc/mdevctl.d")).isTrue();
        assertThat(HostRoot.isInside("/etc/mdevctl.d/../passwd", "/etc/mdevctl.d")).isFalse();
        assertThat(HostRoot.isInside("/etc/mdevctl.d", "/etc/mdevctl.d")).isFalse();
        assertThat(HostRoot.isInside("/etc/mdevctl.dx/a", "/etc/mdevctl.d")).isFalse();
    }
}
