package dev.vfiokit.shell;

import org.springframework.core.annotation.Order;
import org.springframework.shell.ShellRunner;
import org.springframework.shell.command.CommandCatalog;
import org.springframework.shell.command.CommandExecution;
import org.springframework.shell.config.ShellConversionServiceSupplier;
import org.springframework.shell.context.InteractionMode;
import org.springframework.shell.context.ShellContext;
import org.springframework.shell.jline.InteractiveShellRunner;
import org.springframework.stereotype.Component;
import org.jline.terminal.Terminal;
import org.springframework.shell.command.CommandExecution.CommandExecutionHandlerMethodArgumentResolvers;

import java.io.PrintStream;
import java.util.List;
import java.util.Set;

/**
 * Runs the one command given on the command line. Spring Shell's own non-interactive runner writes errors
 * to stdout with colours and routes exit codes through Spring Boot's failure path; admins' scripts need
 * the command's output on stdout, one error line on stderr, and the documented exit code.
 */
@Component
@Order(InteractiveShellRunner.PRECEDENCE - 100)
public class OneShotRunner implements ShellRunner {
    private final CommandCatalog catalog;
    private final CommandExecutionHandlerMethodArgumentResolvers resolvers;
    private final Terminal terminal;
    private final ShellContext shellContext;
    private final ShellConversionServiceSupplier conversion;
    private final ExitStatus status;

    public OneShotRunner(CommandCatalog catalog, CommandExecutionHandlerMethodArgumentResolvers resolvers,
                         Terminal terminal, ShellContext shellContext, ShellConversionServiceSupplier conversion,
                         ExitStatus status) {
        this.catalog = catalog;
        this.resolvers = resolvers;
        this.terminal = terminal;
        this.shellContext = shellContext;
        this.conversion = conversion;
        this.status = status;
    }

    @Override
    public boolean run(String[] args) {
        if (args.length == 0) {
            return false;
        }
        shellContext.setInteractionMode(InteractionMode.NONINTERACTIVE);
        if (args[0].equals("--script") || args[0].startsWith("@")) {
            status.set(runScript(List.of(args), System.out, System.err));
        } else {
            status.set(execute(List.of(args), System.out, System.err));
        }
        return true;
    }

    /**
     * {@code --script FILE [--continue-on-error]} or {@code @FILE}: one command a line, '#' lines are comments.
     * Stops at the first command that exits non-zero, naming its line; with --continue-on-error goes on and
     * exits with the highest code seen.
     */
    int runScript(List<String> args, PrintStream out, PrintStream err) {
        String file = args.get(0).startsWith("@") ? args.get(0).substring(1) : args.size() > 1 ? args.get(1) : null;
        boolean goOn = args.contains("--continue-on-error");
        if (file == null || file.isBlank()) {
            err.println("vfiokit: --script needs a file");
            return ExitStatus.USAGE;
        }
        List<String> lines;
        try {
            lines = dev.vfiokit.iommucheck.input.InputFile.read(java.nio.file.Path.of(file), "script").lines().toList();
        } catch (IllegalArgumentException e) {
            err.println("vfiokit: " + e.getMessage());
            return ExitStatus.USAGE;
        }
        int worst = ExitStatus.OK;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            List<String> words;
            try {
                words = ScriptWords.split(line);
            } catch (IllegalArgumentException e) {
                err.println("vfiokit: " + file + ":" + (i + 1) + ": " + e.getMessage());
                return ExitStatus.USAGE;
            }
            int code = execute(words, out, err);
            if (code != ExitStatus.OK) {
                err.println("vfiokit: " + file + ":" + (i + 1) + ": '" + line + "' exited " + code);
                if (!goOn) {
                    return code;
                }
                worst = Math.max(worst, code);
            }
        }
        return worst;
    }

    /** Runs one command line (already split into words); prints its output and error; returns its exit code. */
    public int execute(List<String> words, PrintStream out, PrintStream err) {
        try {
            requireKnownCommand(words);
            Object result = CommandExecution.of(resolvers.getResolvers(), null, terminal, shellContext,
                    conversion.get(), catalog).evaluate(RepeatedOptions.merge(words).toArray(new String[0]));
            return print(result, out);
        } catch (Exception e) {
            Throwable cause = e instanceof org.springframework.shell.command.CommandExecution.CommandExecutionException
                    && e.getCause() != null ? e.getCause() : e;
            boolean internal = ErrorMessages.isInternal(cause);
            err.println("vfiokit: " + (internal ? "internal error: " : "") + ErrorMessages.oneLine(cause)
                    + (internal ? ErrorMessages.traceNote(cause) : ""));
            return ErrorMessages.exitCode(cause);
        }
    }

    private int print(Object result, PrintStream out) {
        if (result instanceof CommandOutput o) {
            printText(o.text(), out);
            return o.exitCode();
        }
        if (result instanceof Throwable t) {
            throw t instanceof RuntimeException r ? r : new IllegalStateException(t);
        }
        if (result != null) {
            printText(result.toString(), out);
        }
        return ExitStatus.OK;
    }

    private static void printText(String text, PrintStream out) {
        if (text == null || text.isEmpty()) {
            return;
        }
        out.print(text.endsWith("\n") ? text : text + "\n");
        out.flush();
    }

    private void requireKnownCommand(List<String> words) {
        Set<String> commands = catalog.getRegistrations().keySet();
        StringBuilder prefix = new StringBuilder();
        for (String w : words) {
            if (w.startsWith("-")) {
                break;
            }
            prefix.append(prefix.length() == 0 ? "" : " ").append(w);
            if (commands.contains(prefix.toString())) {
                return;
            }
        }
        throw new UnknownCommandException("unknown command '" + String.join(" ", words.stream()
                .takeWhile(w -> !w.startsWith("-")).toList()) + "' (see: vfiokit help)");
    }
}
