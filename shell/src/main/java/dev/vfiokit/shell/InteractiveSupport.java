package dev.vfiokit.shell;

import org.jline.terminal.Terminal;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.shell.ResultHandler;
import org.springframework.shell.command.CommandExceptionResolver;
import org.springframework.shell.command.CommandHandlingResult;
import org.springframework.context.annotation.Lazy;

/** At the prompt: command output printed as is, errors as one line (no stack trace), the shell goes on. */
@Configuration
public class InteractiveSupport {

    @Bean
    public ResultHandler<CommandOutput> commandOutputHandler(@Lazy Terminal terminal) {
        return new CommandOutputHandler(terminal);
    }

    /** A named class: Spring Shell reads the handled type from the class's generic signature, not a lambda's. */
    static final class CommandOutputHandler implements ResultHandler<CommandOutput> {
        private final Terminal terminal;

        CommandOutputHandler(Terminal terminal) {
            this.terminal = terminal;
        }

        @Override
        public void handleResult(CommandOutput out) {
            terminal.writer().print(out.text().endsWith("\n") ? out.text() : out.text() + "\n");
            if (out.exitCode() != 0) {
                terminal.writer().println("(exit code " + out.exitCode() + ")");
            }
            terminal.writer().flush();
        }
    }

    @Bean
    public CommandExceptionResolver oneLineErrors() {
        return e -> CommandHandlingResult.of("error: " + ErrorMessages.oneLine(e) + "\n", ErrorMessages.exitCode(e));
    }
}
