package dev.vfiokit.shell.usecase;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class FileNamesTest {
    @Test
    void distinctNamesNeverShareAFileAndNoNameLeavesItsDirectory() {
        assertThat(FileNames.encode("we_ird__x_")).isNotEqualTo(FileNames.encode("we ird&<x>"));
        for (String n : List.of("..", ".", "../../etc/passwd", "a/b", ".hidden", "x\ny", "ü")) {
            String f = FileNames.encode(n);
            assertThat(f).doesNotContain("/").doesNotStartWith(".").isNotEqualTo("..").matches("[A-Za-z0-9%~-]+");
        }
        assertThat(FileNames.encode("trainer-01")).isEqualTo("trainer-01");
        String longName = "n".repeat(10_000);
        assertThat(FileNames.encode(longName)).hasSizeLessThan(160).isNotEqualTo(FileNames.encode(longName + "x"));
    }

    @Test
    void anEncodedNameReadsBackAsTheNameAndADigestedOneStaysAsWritten() {
        for (String n : List.of("qemu:///system", "we ird&<x>", "ü-01", "demo")) {
            assertThat(FileNames.decode(FileNames.encode(n))).isEqualTo(n);
        }
        String digested = FileNames.encode("n".repeat(10_000));
        assertThat(FileNames.decode(digested)).isEqualTo(digested);
    }
}
