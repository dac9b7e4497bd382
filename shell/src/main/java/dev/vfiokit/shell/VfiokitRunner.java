package dev.vfiokit.shell;

import dev.vfiokit.shell.cli.CommandCatalog;
import dev.vfiokit.shell.cli.CommandInstances;
import dev.vfiokit.shell.cli.HelpText;
import dev.vfiokit.shell.cli.Invocation;
import dev.vfiokit.shell.cli.LineExecutor;
import dev.vfiokit.shell.cli.UsageError;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.stereotype.Component;

import java.io.PrintStream;
import java.lang.reflect.InvocationTargetException;
import java.util.List;

/**
 * vfiokit's one runner: the command given on the command line, a script ({@code --script FILE} or {@code @FILE}),
 * or the interactive prompt when there are no arguments. Output goes to stdout, one error line to stderr, and the
 * command's documented exit code to the process (see {@link ExitStatus}).
 */
@Component
public class VfiokitRunner implements ApplicationRunner, LineExecutor {
    private final CommandCatalog catalog;
    private final CommandInstances beans;
    private final ExitStatus status;
    private final java.util.function.Supplier<InteractivePrompt> prompt;

    /** Under Spring Boot (the prompt): the context's beans and its prompt. */
    @Autowired
    public VfiokitRunner(CommandCatalog catalog, ListableBeanFactory beans, ExitStatus status, ObjectProvider<InteractivePrompt> prompt) {
        this(catalog, beans::getBean, status, prompt::getObject);
    }

    /** For one command or a script ({@link OneShotBeans}): no prompt. */
    public VfiokitRunner(CommandCatalog catalog, CommandInstances beans, ExitStatus status) {
        this(catalog, beans, status, () -> {
            throw new IllegalStateException("the interactive prompt starts under Spring Boot, not from a one-shot command");
        });
    }

    private VfiokitRunner(CommandCatalog catalog, CommandInstances beans, ExitStatus status,
                          java.util.function.Supplier<InteractivePrompt> prompt) {
        this.catalog = catalog;
        this.beans = beans;
        this.status = status;
        this.prompt = prompt;
    }

    @Override
    public void run(ApplicationArguments arguments) {
        status.set(run(List.of(arguments.getSourceArgs())));
    }

    /** The prompt when there are no arguments (only Spring Boot's context has one), else the command or script. */
    public int run(List<String> args) {
        if (args.isEmpty()) {
            return prompt.get().run(this);
        } else if (args.get(0).equals("--script") || args.get(0).startsWith("@")) {
            return runScript(args, System.out, System.err);
        }
        return print(execute(args), System.out, System.err);
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
            int code = print(execute(words), out, err);
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

    @Override
    public Outcome execute(List<String> words) {
        try {
            CommandCatalog.Match m = catalog.find(words).orElseThrow(() -> new UsageError("unknown command '"
                    + String.join(" ", words.stream().takeWhile(w -> !w.startsWith("-")).toList()) + "' (see: vfiokit help)"));
            Invocation call = Invocation.bind(m.command(), words.subList(m.nameWords(), words.size()));
            if (call.helpAsked()) {
                return new Outcome(HelpText.of(m.command()), null, ExitStatus.OK);
            }
            Object result;
            try {
                result = m.command().method().invoke(beans.of(m.command().beanName()), call.arguments());
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
            if (result instanceof CommandOutput o) {
                return new Outcome(o.text() == null ? "" : o.text(), null, o.exitCode());
            }
            return new Outcome(result == null ? "" : result.toString(), null, ExitStatus.OK);
        } catch (VirtualMachineError e) {
            throw e;
        } catch (Throwable e) {
            boolean internal = ErrorMessages.isInternal(e);
            return new Outcome("", (internal ? "internal error: " : "") + ErrorMessages.oneLine(e)
                    + (internal ? ErrorMessages.traceNote(e) : ""), ErrorMessages.exitCode(e));
        }
    }

    private static int print(Outcome r, PrintStream out, PrintStream err) {
        if (!r.output().isEmpty()) {
            out.print(r.output().endsWith("\n") ? r.output() : r.output() + "\n");
            out.flush();
        }
        if (r.error() != null) {
            err.println("vfiokit: " + r.error());
        }
        return r.exitCode();
    }
}
