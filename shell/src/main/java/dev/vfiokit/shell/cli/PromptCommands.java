package dev.vfiokit.shell.cli;

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.shell.core.command.Command;
import org.springframework.shell.core.command.CommandArgument;
import org.springframework.shell.core.command.CommandContext;
import org.springframework.shell.core.command.CommandOption;
import org.springframework.shell.core.command.CommandRegistry;
import org.springframework.shell.core.command.ExitStatus;
import org.springframework.shell.core.command.completion.CompletionProvider;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The catalogue as Spring Shell's {@link CommandRegistry}, for what JLine does at the prompt with it: complete
 * command and option names, and option values through the {@link CompletedWith} bean of the option.
 */
public final class PromptCommands {
    private PromptCommands() {
    }

    public static CommandRegistry registry(CommandCatalog catalog, Supplier<LineExecutor> executor, ListableBeanFactory beans) {
        Set<Command> commands = new LinkedHashSet<>();
        for (CommandSpec spec : catalog.all()) {
            commands.add(new Adapter(spec, executor, beans));
        }
        return new CommandRegistry(commands);
    }

    /** One vfiokit command seen by Spring Shell; run through vfiokit's own binding when Spring Shell runs it. */
    static final class Adapter implements Command {
        private final CommandSpec spec;
        private final Supplier<LineExecutor> executor;
        private final ListableBeanFactory beans;
        private final List<CommandOption> options;

        Adapter(CommandSpec spec, Supplier<LineExecutor> executor, ListableBeanFactory beans) {
            this.spec = spec;
            this.executor = executor;
            this.beans = beans;
            List<CommandOption> o = new ArrayList<>();
            for (OptionSpec s : spec.options()) {
                o.add(CommandOption.with().longName(s.longName()).shortName(s.shortName()).description(s.description())
                        .required(s.required()).defaultValue(s.defaultValue()).type(s.type()).build());
            }
            this.options = List.copyOf(o);
        }

        @Override
        public String getName() {
            return spec.name();
        }

        @Override
        public String getDescription() {
            return spec.description();
        }

        @Override
        public String getGroup() {
            return spec.group();
        }

        @Override
        public String getHelp() {
            return HelpText.of(spec);
        }

        @Override
        public List<CommandOption> getOptions() {
            return options;
        }

        @Override
        public CompletionProvider getCompletionProvider() {
            return ctx -> {
                CommandOption o = ctx.getCommandOption();
                if (o == null) {
                    return List.of();
                }
                return spec.options().stream().filter(s -> s.longName().equals(o.longName()) && s.completion() != null)
                        .findFirst().map(s -> beans.getBean(s.completion(), CompletionProvider.class).apply(ctx))
                        .orElse(List.of());
            };
        }

        @Override
        public ExitStatus execute(CommandContext context) {
            List<String> words = new ArrayList<>(List.of(spec.name().split(" ")));
            for (CommandOption o : context.parsedInput().options()) {
                words.add(o.longName() != null && !o.longName().isEmpty() ? "--" + o.longName() : "-" + o.shortName());
                if (o.value() != null) {
                    words.add(o.value());
                }
            }
            context.parsedInput().arguments().stream().map(CommandArgument::value).forEach(words::add);
            LineExecutor.Outcome r = executor.get().execute(words);
            PrintWriter out = context.outputWriter();
            if (!r.output().isEmpty()) {
                out.print(r.output().endsWith("\n") ? r.output() : r.output() + "\n");
            }
            if (r.error() != null) {
                out.println("error: " + r.error());
            }
            out.flush();
            return new ExitStatus(r.exitCode(), r.error() == null ? "" : r.error());
        }
    }
}
