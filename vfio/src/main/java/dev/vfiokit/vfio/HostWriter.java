package dev.vfiokit.vfio;

import dev.vfiokit.iommucheck.host.HostRoot;
import org.apache.commons.exec.CommandLine;
import org.apache.commons.exec.DefaultExecutor;
import org.apache.commons.exec.ExecuteException;
import org.apache.commons.exec.ExecuteWatchdog;
import org.apache.commons.exec.PumpStreamHandler;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;

/**
 * The only code that changes a host: writes to sysfs and /etc through the host root, and runs host commands
 * (modprobe, ip) with a timeout, turning exit codes and stderr into one line.
 */
public final class HostWriter {
    private final HostRoot root;

    public HostWriter(HostRoot root) {
        this.root = root;
    }

    public HostRoot root() {
        return root;
    }

    /** One write(2) of the value, as echo does; the kernel's error comes back explained. */
    public void write(String file, String value) {
        Path p = root.path(file);
        try {
            Files.writeString(p, value.isEmpty() ? "\n" : value, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
        } catch (IOException e) {
            throw VfioFailure.failed("writing '" + value + "' to " + file + " failed: " + KernelErrors.explain(file, e.getMessage()));
        }
    }

    /**
     * A write the kernel may block on (mdev remove while the device is open): done on its own thread and given
     * up after the timeout, saying so; the write itself cannot be cancelled and completes when the device is free.
     */
    public void writeWithTimeout(String file, String value, Duration timeout) {
        java.util.concurrent.CompletableFuture<Void> f = java.util.concurrent.CompletableFuture.runAsync(() -> write(file, value),
                r -> {
                    Thread t = new Thread(r, "vfiokit-blocking-write");
                    t.setDaemon(true);
                    t.start();
                });
        try {
            f.get(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            throw VfioFailure.failed("writing to " + file + " still blocks after " + timeout.toSeconds()
                    + " s: the device is open (a running guest?); stop its user and try again");
        } catch (java.util.concurrent.ExecutionException e) {
            throw e.getCause() instanceof VfioFailure v ? v : VfioFailure.failed(e.getCause().getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw VfioFailure.failed("interrupted while writing " + file);
        }
    }

    /** Writes a configuration file (creating its directory), as admins' tools expect it. */
    public void writeFile(String file, String content) {
        Path p = root.path(file);
        try {
            Files.createDirectories(p.getParent());
            Files.writeString(p, content);
        } catch (IOException e) {
            throw VfioFailure.failed("cannot write " + file + ": " + e.getMessage());
        }
    }

    public void delete(String file) {
        try {
            Files.deleteIfExists(root.path(file));
        } catch (IOException e) {
            throw VfioFailure.failed("cannot remove " + file + ": " + e.getMessage());
        }
    }

    /** Runs a command (no shell), with a timeout; returns stdout; a non-zero exit becomes one line with stderr. */
    public static String exec(List<String> command, Duration timeout) {
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
