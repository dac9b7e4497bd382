package dev.vfiokit.vfio;

import dev.vfiokit.iommucheck.host.HostRoot;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;

/**
 * The only code that changes a host: writes to sysfs and to vfiokit's /etc files through the host root, and runs
 * host commands through the target's {@link HostCommands} (none for a tree: its writes stay in the tree, and the
 * commands refuse). Each write is held to its base directory: sysfs attributes under /sys, configuration under the
 * few /etc directories vfiokit owns files in. Whether a target may be changed at all is {@link HostTarget#changeable}.
 */
public final class HostWriter {
    /** The /etc directories vfiokit writes files in: driverctl overrides, modprobe options, mdevctl definitions. */
    static final List<String> CONFIG_DIRS = List.of("/etc/driverctl.d", "/etc/modprobe.d", "/etc/mdevctl.d");
    private final HostTarget target;

    public HostWriter(HostTarget target) {
        this.target = target;
    }

    public HostRoot root() {
        return target.root();
    }

    public HostTarget target() {
        return target;
    }

    public HostCommands commands() {
        return target.commands();
    }

    private Path sysfs(String file) {
        if (!HostRoot.isInside(file, "/sys")) {
            throw VfioFailure.refused("refusing to write " + file + ": not a sysfs attribute");
        }
        return root().path(file);
    }

    private Path config(String file) {
        String dir = CONFIG_DIRS.stream().filter(d -> HostRoot.isInside(file, d)).findFirst().orElseThrow(() ->
                VfioFailure.refused("refusing to change " + file + ": vfiokit writes only in " + String.join(", ", CONFIG_DIRS)));
        Path p = root().path(file);
        // a link in the way must not carry the write out of the directory it names
        Path parent = p.getParent();
        if (Files.exists(parent)) {
            try {
                // the directory as it must be, under the real root: a link in place of the directory itself counts
                Path base = root().root().toRealPath().resolve(dir.substring(1));
                if (!parent.toRealPath().startsWith(base) || Files.isSymbolicLink(p)) {
                    throw VfioFailure.refused("refusing to change " + file + ": it leads out of " + dir + " (a symbolic link)");
                }
            } catch (IOException e) {
                throw VfioFailure.refused("cannot check " + file + ": " + e.getMessage());
            }
        }
        return p;
    }

    /** One write(2) of the value, as echo does; the kernel's error comes back explained. */
    public void write(String file, String value) {
        Path p = sysfs(file);
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
        sysfs(file);
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
        Path p = config(file);
        try {
            Files.createDirectories(p.getParent());
            Files.writeString(p, content);
        } catch (IOException e) {
            throw VfioFailure.failed("cannot write " + file + ": " + e.getMessage());
        }
    }

    public void delete(String file) {
        Path p = config(file);
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            throw VfioFailure.failed("cannot remove " + file + ": " + e.getMessage());
        }
    }
}
