package dev.vfiokit.tests;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The interactive prompt as an admin meets it: the real jar in a real terminal (tmux), keys sent, the screen
 * read back. Completion, the prompt showing the connection, help, one-line errors, history in the state directory.
 */
class InteractiveShellTest {
    @TempDir
    Path tmp;

    private final String session = "vfiokit-it-" + ProcessHandle.current().pid();

    private String tmux(String... args) throws Exception {
        List<String> cmd = new java.util.ArrayList<>(List.of("tmux"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        p.waitFor(20, TimeUnit.SECONDS);
        return out;
    }

    private String screen() throws Exception {
        return tmux("capture-pane", "-t", session, "-p", "-S", "-200");
    }

    private String waitFor(String text) throws Exception {
        long end = System.currentTimeMillis() + 60_000;
        String s = screen();
        while (!s.contains(text) && System.currentTimeMillis() < end) {
            Thread.sleep(250);
            s = screen();
        }
        assertThat(s).as("screen").contains(text);
        return s;
    }

    private void type(String... keys) throws Exception {
        List<String> args = new java.util.ArrayList<>(List.of("send-keys", "-t", session));
        args.addAll(List.of(keys));
        tmux(args.toArray(new String[0]));
    }

    @AfterEach
    void kill() throws Exception {
        tmux("kill-session", "-t", session);
    }

    @Test
    void completionPromptHelpErrorsAndHistoryAtTheInteractivePrompt() throws Exception {
        String cmd = "env XDG_CACHE_HOME=" + tmp.resolve("cache") + " XDG_STATE_HOME=" + tmp.resolve("state") + " XDG_CONFIG_HOME="
                + tmp.resolve("config") + " " + Repo.java() + " -XX:TieredStopAtLevel=1 -jar " + Repo.jar();
        tmux("new-session", "-d", "-s", session, "-x", "400", "-y", "60", cmd);
        waitFor("vfiokit[qemu:///system]>");
        // JLine switches the terminal to raw mode after printing the prompt, flushing keys typed before that
        Thread.sleep(1500);

        type("template show --name gpu-w", "Tab");
        waitFor("template show --name gpu-workstation");
        type("Enter");
        waitFor("vendor_id");

        type("clear", "Enter");
        type("connect --uri test:///def", "Tab");
        waitFor("connect --uri test:///default");
        type("Enter");
        waitFor("vfiokit[test:///default]>");

        type("check --host demo --device 0000:61:00.", "Tab");
        String s = waitFor("0000:61:00.1");
        assertThat(s).contains("NVIDIA Corporation GA102GL [RTX A6000] (nvidia)");
        type("C-u", "clear", "Enter");

        type("bind --device zz --host demo --dry-run", "Enter");
        waitFor("error: not a PCI address: 'zz'");
        type("help tune", "Enter");
        waitFor("Example: vfiokit tune --file peer.xml --profile compute-headless");
        type("groups --host demo", "Enter");
        s = waitFor("not viable for vfio now");
        assertThat(s).doesNotContain("Exception");

        type("exit", "Enter");
        Path history = tmp.resolve("state/vfiokit/history");
        long end = System.currentTimeMillis() + 20_000;
        while (!(Files.exists(history) && Files.readString(history).contains("groups --host demo")) && System.currentTimeMillis() < end) {
            Thread.sleep(250);
        }
        assertThat(Files.readString(history)).contains("connect --uri test:///default", "groups --host demo");
    }
}
