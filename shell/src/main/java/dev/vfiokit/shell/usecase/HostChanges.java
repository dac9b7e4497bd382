package dev.vfiokit.shell.usecase;

import dev.vfiokit.iommucheck.host.HostRoot;
import dev.vfiokit.shell.cli.UsageError;
import dev.vfiokit.vfio.HostTarget;
import dev.vfiokit.vfio.HostWriter;
import dev.vfiokit.vfio.Operation;
import dev.vfiokit.vfio.PlanRunner;

import java.nio.file.Path;
import java.util.List;

/**
 * Changing a host, for every command that does (bind, unbind, VFs, mdevs, persistence, undo, generate's mdev,
 * provisioning): whether the target may be changed at all, where its journal and lock live, applying an operation
 * (journaled, verified, rolled back on failure) and undoing one.
 */
public final class HostChanges {
    private final HostTarget target;

    public HostChanges(HostTarget target) {
        this.target = target;
    }

    /** The journal and lock live under the host root (VFIOKIT_STATE_DIR overrides): /var/lib/vfiokit on a real host. */
    public static Path stateDir(HostRoot root) {
        String env = System.getenv("VFIOKIT_STATE_DIR");
        return env != null && !env.isBlank() ? Path.of(env) : root.path("/var/lib/vfiokit");
    }

    /** Refused unless a dry run: a snapshot (a tree, the demo) is not a kernel, and changing a real host needs root. */
    public void requireChangeable(boolean dryRun) {
        if (dryRun) {
            return;
        }
        if (!target.changeable()) {
            throw new UsageError(target.describe() + " is a snapshot, not a kernel: use --dry-run to see the plan");
        }
        if (!"root".equals(System.getProperty("user.name"))) {
            throw new UsageError("changing the host needs root (sudo vfiokit ...); --dry-run shows the plan");
        }
    }

    public PlanRunner runner() {
        return new PlanRunner(new HostWriter(target), stateDir(target.root()));
    }

    /** Applies the operation; its journal id (null when there was nothing to do) and the runner's log. */
    public Applied apply(Operation op) {
        if (op.steps().isEmpty()) {
            return new Applied(null, List.of());
        }
        PlanRunner runner = runner();
        String id = runner.apply(op);
        return new Applied(id, runner.log());
    }

    /** Undoes a journaled operation (the rollback of an all-or-nothing use case). */
    public void undo(String journalId) {
        runner().undo(journalId);
    }

    public record Applied(String journalId, List<String> log) {
        public Applied {
            log = List.copyOf(log);
        }
    }
}
