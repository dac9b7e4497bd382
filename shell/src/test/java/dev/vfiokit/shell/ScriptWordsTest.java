package dev.vfiokit.shell;

import org.junit.jupiter.api.Test;

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
}
