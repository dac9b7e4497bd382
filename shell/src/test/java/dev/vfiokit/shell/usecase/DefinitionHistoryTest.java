package dev.vfiokit.shell.usecase;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class DefinitionHistoryTest {
    @TempDir
    Path state;

    @Test
    void keptDefinitionsAreListedByHostAndDomainAndTheNewestIsTheOneUndoTakes() throws Exception {
        DefinitionHistory h = new DefinitionHistory(state);
        Path first = h.keep("qemu:///system", "sec vm&<1>", "<domain>first</domain>", "host-a");
        Thread.sleep(2);
        Path second = h.keep("qemu:///system", "sec vm&<1>", "<domain>second</domain>", "host-a");
        h.keep("demo", "trainer-01", "<domain>demo</domain>", null);

        assertThat(h.list()).extracting(k -> k.host() + " " + k.domain())
                .containsExactly("demo trainer-01", "qemu:///system sec vm&<1>", "qemu:///system sec vm&<1>");
        assertThat(h.latest("qemu:///system", "sec vm&<1>")).contains(second);
        assertThat(h.latest("qemu:///session", "sec vm&<1>")).isEmpty();
        // a domain whose name begins like another's is not that other
        assertThat(h.latest("qemu:///system", "sec")).isEmpty();

        h.forget(second);
        assertThat(h.latest("qemu:///system", "sec vm&<1>")).contains(first);
        assertThat(Files.readString(first)).isEqualTo("<domain>first</domain>");
        assertThat(h.list()).hasSize(2);
    }

    @Test
    void nothingKeptListsNothing() {
        assertThat(new DefinitionHistory(state).list()).isEmpty();
    }
}
