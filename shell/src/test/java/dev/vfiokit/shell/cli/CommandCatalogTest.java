package dev.vfiokit.shell.cli;

import org.junit.jupiter.api.Test;
import org.springframework.context.support.GenericApplicationContext;
import org.springframework.shell.core.command.annotation.Command;
import org.springframework.shell.core.command.annotation.Option;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CommandCatalogTest {

    public static class Tune {
        static int created;

        public Tune() {
            created++;
        }

        @Command(name = "tune", group = "Tuning", description = "tune")
        public String tune(@CompletedWith("domainNames") @Option(longName = "domain", description = "d") String domain) {
            return "tune";
        }

        @Command(name = "tune undo", group = "Tuning", description = "undo")
        public String undo(@Option(longName = "domain", required = true, description = "d") String domain) {
            return "undo";
        }
    }

    public static class Unnamed {
        @Command(name = "bad", description = "x")
        public String bad(String noOption) {
            return "";
        }
    }

    public static class OddType {
        @Command(name = "odd", description = "x")
        public String odd(@Option(longName = "when", description = "x") java.time.Instant when) {
            return "";
        }
    }

    private static CommandCatalog catalogOf(Class<?>... beans) {
        GenericApplicationContext ctx = new GenericApplicationContext();
        for (Class<?> b : beans) {
            ctx.registerBean(b);
        }
        return CommandCatalog.fromBeans(ctx.getBeanFactory(), "dev.vfiokit.");
    }

    @Test
    void commandsAreReadFromTheBeanTypesWithoutCreatingTheBeans() {
        Tune.created = 0;
        CommandCatalog c = catalogOf(Tune.class);
        assertThat(c.all()).extracting(CommandSpec::name).containsExactly("tune", "tune undo");
        assertThat(Tune.created).isZero();
        assertThat(c.named("tune").orElseThrow().options().get(0).completion()).isEqualTo("domainNames");
    }

    @Test
    void theLongestCommandNameTheWordsStartWithWins() {
        CommandCatalog c = catalogOf(Tune.class);
        assertThat(c.find(List.of("tune", "undo", "--domain", "x")).orElseThrow().command().name()).isEqualTo("tune undo");
        CommandCatalog.Match m = c.find(List.of("tune", "peer.xml")).orElseThrow();
        assertThat(m.command().name()).isEqualTo("tune");
        assertThat(m.nameWords()).isEqualTo(1);
        assertThat(c.find(List.of("--domain", "tune"))).isEmpty();
        assertThat(c.find(List.of("frobnicate"))).isEmpty();
    }

    @Test
    void aParameterWithoutAnOptionNameOrOfATypeTheLineCannotBindIsRefusedWhenTheCommandsAreListed() {
        // listed by the prompt's start-up, by help, and by CommandBeansTest for every real command; a one-shot
        // command reads only its own options
        assertThatThrownBy(() -> catalogOf(Unnamed.class).all()).hasMessageContaining("needs @Option(longName");
        assertThatThrownBy(() -> catalogOf(OddType.class).all()).hasMessageContaining("--when has type Instant");
        assertThatThrownBy(() -> catalogOf(OddType.class).find(List.of("odd"))).hasMessageContaining("--when has type Instant");
    }

    @Test
    void helpListsCommandsByGroupAndDescribesOne() {
        CommandCatalog c = catalogOf(Tune.class);
        assertThat(HelpText.list(c, java.util.Map.of("exit", "leave"))).contains("Built-In Commands\n       exit: leave\n",
                "Tuning\n       tune: tune\n       tune undo: undo\n");
        assertThat(HelpText.of(c.named("tune undo").orElseThrow()))
                .contains("SYNOPSIS\n       tune undo --domain String [--help]", "--domain String\n       d\n       [Mandatory]");
    }
}
