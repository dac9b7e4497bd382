package dev.vfiokit.shell;

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
    void quotedWordsSplitBackToTheSameWords() {
        for (String w : List.of("sec vm&<1>", "it's", "GRID T4-1B", "plain-01", "")) {
            assertThat(ScriptWords.split(ScriptWords.command("tune", "--domain", w))).containsExactly("tune", "--domain", w);
        }
        assertThat(ScriptWords.command("mdev", "create", "--type", "GRID T4-1B")).isEqualTo("mdev create --type 'GRID T4-1B'");
    }
}
