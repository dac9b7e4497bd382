package dev.vfiokit.shell.cli;

import org.junit.jupiter.api.Test;
import org.springframework.context.support.GenericApplicationContext;
import org.springframework.shell.core.command.Command;
import org.springframework.shell.core.command.CommandContext;
import org.springframework.shell.core.command.CommandOption;
import org.springframework.shell.core.command.CommandRegistry;
import org.springframework.shell.core.command.ParsedInput;
import org.springframework.shell.core.command.completion.CompletionContext;
import org.springframework.shell.core.command.completion.CompletionProposal;
import org.springframework.shell.core.command.completion.CompletionProvider;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class PromptCommandsTest {

    @Test
    void theRegistryCompletesAnOptionValueWithTheBeanItsOptionNames() {
        GenericApplicationContext ctx = new GenericApplicationContext();
        ctx.registerBean(CommandCatalogTest.Tune.class);
        ctx.registerBean("domainNames", CompletionProvider.class, () -> c -> List.of(new CompletionProposal("trainer-01")));
        ctx.refresh();
        CommandCatalog catalog = CommandCatalog.fromBeans(ctx.getBeanFactory(), "dev.vfiokit.");
        CommandRegistry registry = PromptCommands.registry(catalog, () -> null, ctx);

        Command tune = registry.getCommandByName("tune");
        assertThat(tune.getOptions()).extracting(CommandOption::longName).containsExactly("domain");
        CommandOption domain = tune.getOptions().get(0);
        List<String> words = List.of("tune", "--domain", "tr");
        assertThat(tune.getCompletionProvider().apply(new CompletionContext(words, 2, 2, tune, domain)))
                .extracting(CompletionProposal::value).containsExactly("trainer-01");
        // an option without a completion bean offers nothing rather than failing
        Command undo = registry.getCommandByName("tune undo");
        assertThat(undo.getCompletionProvider().apply(new CompletionContext(words, 2, 2, undo, undo.getOptions().get(0)))).isEmpty();
        assertThat(registry.getCommandsByPrefix("tune")).hasSize(2);
    }

    @Test
    void spring_shellRunningACommandGoesThroughVfiokitsExecutorWithTheSameWords() throws Exception {
        List<List<String>> seen = new ArrayList<>();
        LineExecutor executor = w -> {
            seen.add(w);
            return new LineExecutor.Outcome("done", null, 1);
        };
        GenericApplicationContext ctx = new GenericApplicationContext();
        ctx.registerBean(CommandCatalogTest.Tune.class);
        ctx.refresh();
        CommandRegistry registry = PromptCommands.registry(CommandCatalog.fromBeans(ctx.getBeanFactory(), "dev.vfiokit."), () -> executor, ctx);
        StringWriter out = new StringWriter();
        ParsedInput in = ParsedInput.builder().commandName("tune").addSubCommand("undo")
                .addOption(CommandOption.with().longName("domain").value("vm1").build()).build();
        var status = registry.getCommandByName("tune undo").execute(new CommandContext(in, registry, new PrintWriter(out), null));
        assertThat(seen).containsExactly(List.of("tune", "undo", "--domain", "vm1"));
        assertThat(out.toString()).isEqualTo("done\n");
        assertThat(status.code()).isEqualTo(1);
    }
}
