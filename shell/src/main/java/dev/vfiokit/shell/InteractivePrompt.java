package dev.vfiokit.shell;

import dev.vfiokit.shell.cli.LineExecutor;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.UserInterruptException;
import org.jline.terminal.Terminal;
import org.jline.utils.InfoCmp;
import org.springframework.shell.jline.PromptProvider;
import org.springframework.stereotype.Component;

import java.io.PrintWriter;
import java.util.List;

/**
 * The interactive prompt: Spring Shell's JLine line reader (completion, history in the state directory), vfiokit's
 * commands. Output as the command prints it, an error as one line, a non-zero exit code said; the prompt goes on
 * until exit, quit or Ctrl-D. Ctrl-C drops the line being typed.
 */
@Component
public class InteractivePrompt {
    /** The prompt's own words, for help. */
    public static final java.util.Map<String, String> BUILT_INS = java.util.Map.of(
            "clear", "Clear the screen (at the prompt)",
            "exit", "Leave the prompt (also quit, or Ctrl-D)");

    private final LineReader reader;
    private final PromptProvider prompt;

    public InteractivePrompt(LineReader reader, PromptProvider prompt) {
        this.reader = reader;
        this.prompt = prompt;
    }

    public int run(LineExecutor executor) {
        Terminal terminal = reader.getTerminal();
        PrintWriter out = terminal.writer();
        while (true) {
            String line;
            try {
                line = reader.readLine(prompt.getPrompt().toAnsi(terminal));
            } catch (UserInterruptException e) {
                continue;
            } catch (EndOfFileException e) {
                break;
            }
            line = line.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            if (line.equals("exit") || line.equals("quit")) {
                break;
            }
            if (line.equals("clear")) {
                terminal.puts(InfoCmp.Capability.clear_screen);
                terminal.flush();
                continue;
            }
            List<String> words;
            try {
                words = ScriptWords.split(line);
            } catch (IllegalArgumentException e) {
                out.println("error: " + e.getMessage());
                out.flush();
                continue;
            }
            LineExecutor.Outcome r = executor.execute(words);
            if (!r.output().isEmpty()) {
                out.print(r.output().endsWith("\n") ? r.output() : r.output() + "\n");
            }
            if (r.error() != null) {
                out.println("error: " + r.error());
            } else if (r.exitCode() != ExitStatus.OK) {
                out.println("(exit code " + r.exitCode() + ")");
            }
            out.flush();
        }
        return ExitStatus.OK;
    }
}
