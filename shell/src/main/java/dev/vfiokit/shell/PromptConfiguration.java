package dev.vfiokit.shell;

import dev.vfiokit.shell.cli.CommandCatalog;
import dev.vfiokit.shell.cli.LineExecutor;
import dev.vfiokit.shell.cli.PromptCommands;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.shell.core.command.CommandRegistry;

/** The command catalogue, read once from the beans, and the same commands as Spring Shell's registry for the prompt. */
@Configuration
public class PromptConfiguration {

    @Bean
    public CommandCatalog commandCatalog(ListableBeanFactory beans) {
        return CommandBeans.catalog(beans);
    }

    /** Replaces Spring Shell's own registry, which would scan the class path for the same annotations again. */
    @Bean
    public CommandRegistry commandRegistry(CommandCatalog catalog, ObjectProvider<LineExecutor> executor, ListableBeanFactory beans) {
        return PromptCommands.registry(catalog, executor::getObject, beans);
    }
}
