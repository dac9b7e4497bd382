package dev.vfiokit.shell;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class RepeatedOptionsTest {
    @Test
    void repeatedOptionsCollectAllTheirValuesInOrder() {
        assertThat(RepeatedOptions.merge(List.of("domain", "generate", "--vf", "a,vlan=1", "--name", "x", "--vf", "b", "--define")))
                .containsExactly("domain", "generate", "--vf", "a,vlan=1", "b", "--name", "x", "--define");
    }

    @Test
    void shortOptionsAreOptionsNotValues() {
        assertThat(RepeatedOptions.merge(List.of("domain", "generate", "--vf", "a", "-o", "out.xml", "--vf", "b")))
                .containsExactly("domain", "generate", "--vf", "a", "b", "-o", "out.xml");
    }

    @Test
    void wordsWithoutRepeatsAreLeftAlone() {
        List<String> words = List.of("check", "--host", "demo", "--json", "-o", "f");
        assertThat(RepeatedOptions.merge(words)).containsExactlyElementsOf(words);
    }
}
