package dev.vfiokit.vfio;

import org.apache.commons.exec.CommandLine;
import org.apache.commons.exec.DefaultExecutor;
import org.apache.commons.exec.ExecuteException;
import org.apache.commons.exec.ExecuteWatchdog;
import org.apache.commons.exec.PumpStreamHandler;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.List;

/**
 * The one place vfiokit starts a process (an architecture test holds every other class to that): commands of the
 * machine itself, without a shell, each argument passed as one word, with a timeout.
 */
public final class SystemCommands implements HostCommands {
    static final SystemCommands INSTANCE = new SystemCommands();

    private SystemCommands() {
    }

    @Override
    public String run(List<String> command, Duration timeout) {
        CommandLine cl = new CommandLine(command.get(0));
        command.subList(1, command.size()).forEach(a -> cl.addArgument(a, false));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        ExecuteWatchdog watchdog = ExecuteWatchdog.builder().setTimeout(timeout).get();
        DefaultExecutor ex = DefaultExecutor.builder().get();
        ex.setStreamHandler(new PumpStreamHandler(out, err));
        ex.setWatchdog(watchdog);
        try {
            ex.execute(cl);
            return out.toString();
        } catch (ExecuteException e) {
            if (watchdog.killedProcess()) {
                throw VfioFailure.failed(String.join(" ", command) + " did not finish in " + timeout.toSeconds() + " s");
            }
            String msg = err.toString().strip().replaceAll("\\s*\\R\\s*", "; ");
            throw VfioFailure.failed(String.join(" ", command) + " failed (exit " + e.getExitValue() + ")" + (msg.isEmpty() ? "" : ": " + msg));
        } catch (IOException e) {
            throw VfioFailure.failed("cannot run " + command.get(0) + ": " + e.getMessage());
        }
    }
}
