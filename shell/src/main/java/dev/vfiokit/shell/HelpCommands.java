package dev.vfiokit.shell;

import dev.vfiokit.shell.cli.CommandCatalog;
import dev.vfiokit.shell.cli.HelpText;
import dev.vfiokit.shell.cli.UsageError;
import org.springframework.shell.core.command.annotation.Command;
import org.springframework.shell.core.command.annotation.Option;
import org.springframework.stereotype.Component;

import java.nio.file.Files;
import java.nio.file.Path;

/** {@code help} and {@code history}: the commands about the commands. */
@Component
public class HelpCommands {
    private final CommandCatalog catalog;

    public HelpCommands(CommandCatalog catalog) {
        this.catalog = catalog;
    }

    @Command(name = "help", group = HelpText.BUILT_IN, description = "Display help about available commands. Example: vfiokit help domain generate")
    public CommandOutput help(@Option(longName = "command", description = "the command (its words) to describe") String[] command) {
        if (command == null || command.length == 0) {
            return CommandOutput.ok(HelpText.list(catalog, InteractivePrompt.BUILT_INS));
        }
        String name = String.join(" ", command);
        return CommandOutput.ok(HelpText.of(catalog.named(name)
                .orElseThrow(() -> new UsageError("unknown command '" + name + "' (see: vfiokit help)"))));
    }

    @Command(name = "history", group = HelpText.BUILT_IN, description = "Display the history of previously run commands (the prompt's, in the state directory). Example: vfiokit history")
    public CommandOutput history() {
        Path file = StateDirs.state().resolve("history");
        if (!Files.isRegularFile(file)) {
            return CommandOutput.ok("");
        }
        StringBuilder sb = new StringBuilder();
        for (String line : dev.vfiokit.iommucheck.input.InputFile.read(file, "history").lines().toList()) {
            // JLine keeps "epoch-millis:command"
            int colon = line.indexOf(':');
            sb.append(colon > 0 && line.substring(0, colon).chars().allMatch(Character::isDigit) ? line.substring(colon + 1) : line).append('\n');
        }
        return CommandOutput.ok(sb.toString());
    }
}
