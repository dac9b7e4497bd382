package dev.vfiokit.shell;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ScriptWordsTest {
    @Test
    void splitsLikeAShellWithQuotesAndEscapes() {
        assertThat(ScriptWords.split("domain generate --name 'my vm' --vf \"ens1f0np0,vlan=100\"  x\\ y"))
                .containsExactly("domain", "generate", "--name", "my vm", "--vf", "ens1f0np0,vlan=100", "x y");
        assertThat(ScriptWords.split("check --root ''")).containsExactly("check", "--root", "");
    }

    @Test
    void anUnterminatedQuoteIsAnError() {
        assertThatThrownBy(() -> ScriptWords.split("check --name 'oops")).hasMessageContaining("unterminated");
    }

    @Test
    void quotedWordsSplitBackToTheSameWords() {
        for (String w : List.of("sec vm&<1>", "it's", "GRID T4-1B", "plain-01", "")) {
            assertThat(ScriptWords.split(ScriptWords.command("tune", "--domain", w))).containsExactly("tune", "--domain", w);
        }
        assertThat(ScriptWords.command("mdev", "create", "--type", "GRID T4-1B")).isEqualTo("mdev create --type 'GRID T4-1B'");
    }
}
