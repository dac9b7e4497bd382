package dev.vfiokit.shell;

import dev.vfiokit.shell.cli.CommandCatalog;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

import java.util.List;

/**
 * The beans commands need: every command class and what they share, listed once for both ways vfiokit starts. A
 * one-shot command or a script gets just these, made by their constructors ({@link OneShotBeans}: no Spring context,
 * auto-configuration, class path scan or logging system, which were most of a short command's start-up); the
 * interactive prompt gets Spring Boot with these and Spring Shell's line reader ({@link VfiokitApplication}).
 */
@Configuration(proxyBeanMethods = false)
@Import({LibvirtTargets.class, HostSelection.class, ExitStatus.class, VfiokitRunner.class,
        HelpCommands.class, CheckCommands.class, InventoryCommands.class, ExportCommands.class,
        VfioCommands.class, MdevCommands.class, VgpuCommands.class, DomainCommands.class,
        TemplateCommands.class, TuneCommands.class, ProvisionCommands.class, LossCommands.class})
public class CommandBeans {

    /** The classes {@link Import} names: the one list. */
    public static List<Class<?>> classes() {
        return List.of(CommandBeans.class.getAnnotation(Import.class).value());
    }

    /** The catalogue of the application's commands, read from the beans' types. */
    static CommandCatalog catalog(ListableBeanFactory beans) {
        return CommandCatalog.fromBeans(beans, "dev.vfiokit.");
    }
}
