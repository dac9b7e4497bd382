package dev.vfiokit.vfio;

import dev.vfiokit.iommucheck.host.HostRoot;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Carries out an {@link Operation} under the host lock: journal first, then each step, each verified; a failure
 * rolls back what was done, from the journaled before-state. Test hooks (environment): VFIOKIT_FAULT_AFTER_STEP=N
 * fails the plan after step N; VFIOKIT_PAUSE_AFTER_STEP=N:SECONDS sleeps there (to kill the process mid-plan).
 */
public final class PlanRunner {
    private final HostWriter writer;
    private final Journal journal;
    private final Path stateDir;
    private final List<String> log = new ArrayList<>();

    public PlanRunner(HostWriter writer, Path stateDir) {
        this.writer = writer;
        this.stateDir = stateDir;
        this.journal = new Journal(stateDir);
    }

    public Journal journal() {
        return journal;
    }

    /** What was done, step by step, for the command's output. */
    public List<String> log() {
        return List.copyOf(log);
    }

    /** Applies the operation; returns its journal id. On failure everything done is undone and the failure thrown. */
    public String apply(Operation op) {
        try (HostLock lock = HostLock.acquire(stateDir)) {
            Journal.Entry e = journal.begin(op, writer.root().toString());
            int done = 0;
            try {
                for (Step s : op.steps()) {
                    execute(s);
                    done++;
                    e = journal.update(e, Journal.Status.IN_PROGRESS, done);
                    log.add("ok  " + s.describe());
                    testHooks(done);
                }
                journal.update(e, Journal.Status.DONE, done);
                return e.id();
            } catch (VfioFailure f) {
                log.add("FAILED " + f.getMessage());
                List<String> problems = restore(op);
                journal.update(e, problems.isEmpty() ? Journal.Status.ROLLED_BACK : Journal.Status.ROLLBACK_INCOMPLETE, done);
                throw VfioFailure.failed(f.getMessage() + "; " + (problems.isEmpty()
                        ? "rolled back: the host is as it was" : "rollback incomplete: " + String.join("; ", problems)));
            }
        }
    }

    /** Undoes a journaled operation (the newest undoable one when id is null), even one a crash left in progress. */
    public Journal.Entry undo(String id) {
        try (HostLock lock = HostLock.acquire(stateDir)) {
            Journal.Entry e = (id == null ? journal.lastUndoable() : journal.find(id)).orElseThrow(() -> VfioFailure.refused(
                    id == null ? "nothing to undo in " + journal.dir() : "no journal entry " + id + " in " + journal.dir()));
            if (e.status() == Journal.Status.UNDONE || e.status() == Journal.Status.ROLLED_BACK) {
                throw VfioFailure.refused("journal entry " + e.id() + " is " + e.status() + " already");
            }
            List<String> problems = restore(e.operation());
            journal.update(e, problems.isEmpty() ? Journal.Status.UNDONE : Journal.Status.UNDO_INCOMPLETE, e.stepsDone());
            if (!problems.isEmpty()) {
                throw VfioFailure.failed("undo of " + e.id() + " incomplete: " + String.join("; ", problems));
            }
            return e;
        }
    }

    private void testHooks(int done) {
        String fault = System.getenv("VFIOKIT_FAULT_AFTER_STEP");
        if (fault != null && fault.equals(String.valueOf(done))) {
            throw VfioFailure.failed("injected fault after step " + done + " (VFIOKIT_FAULT_AFTER_STEP)");
        }
        String pause = System.getenv("VFIOKIT_PAUSE_AFTER_STEP");
        if (pause != null && pause.startsWith(done + ":")) {
            try {
                Thread.sleep(Long.parseLong(pause.substring(pause.indexOf(':') + 1)) * 1000);
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void execute(Step s) {
        if (s instanceof Step.Exec x) {
            writer.commands().run(x.command(), Duration.ofSeconds(30));
        } else if (s instanceof Step.RemoveFile r) {
            writer.delete(r.file());
        } else if (s instanceof Step.ConfigFile c) {
            writer.writeFile(c.file(), c.value());
        } else if (s instanceof Step.Write w && w.file().endsWith("/remove") && w.file().startsWith("/sys/bus/mdev/")) {
            // removing an mdev blocks, silently, for as long as something (a guest) holds it open
            writer.writeWithTimeout(w.file(), w.value(), Duration.ofSeconds(15));
        } else if (s instanceof Step.Write w) {
            writer.write(w.file(), w.value());
        }
        verify(s);
    }

    private void verify(Step s) {
        HostRoot root = writer.root();
        Expect x = s.expect();
        if (x instanceof Expect.DriverIs d) {
            String actual = root.linkName("/sys/bus/pci/devices/" + d.device() + "/driver").orElse("none");
            if (d.not() == actual.equals(d.driver())) {
                throw VfioFailure.failed(d.device() + " is on driver " + actual + " after writing " + s.file() + ", expected "
                        + (d.not() ? "!" : "") + d.driver() + " (the kernel accepted the write but did not do it; see dmesg)");
            }
        } else if (x instanceof Expect.Absent a) {
            if (root.exists(a.path())) {
                throw VfioFailure.failed(a.path() + " still exists after the write");
            }
        } else if (x instanceof Expect.Exists e) {
            if (!root.exists(e.path())) {
                throw VfioFailure.failed(e.path() + " does not exist after the write");
            }
        } else if (x instanceof Expect.ValueIs v) {
            String actual = root.read(v.path()).orElse("");
            if (!actual.equals(v.value())) {
                throw VfioFailure.failed(v.path() + " reads '" + actual + "' after the write, expected '" + v.value() + "'");
            }
        }
    }

    /** Puts the host back to the operation's before-state; returns what could not be restored. */
    private List<String> restore(Operation op) {
        List<String> problems = new ArrayList<>();
        HostRoot root = writer.root();
        for (SriovState s : op.sriov()) {
            try {
                String base = "/sys/bus/pci/devices/" + s.pf() + "/";
                int now = root.readInt(base + "sriov_numvfs").orElse(0);
                if (now != s.numVfs()) {
                    if (now > 0) {
                        writer.write(base + "sriov_numvfs", "0");
                    }
                    if (s.driversAutoprobe() != null) {
                        writer.write(base + "sriov_drivers_autoprobe", String.valueOf(s.driversAutoprobe()));
                    }
                    if (s.numVfs() > 0) {
                        writer.write(base + "sriov_numvfs", String.valueOf(s.numVfs()));
                    }
                } else if (s.driversAutoprobe() != null) {
                    writer.write(base + "sriov_drivers_autoprobe", String.valueOf(s.driversAutoprobe()));
                }
                log.add("restored SR-IOV of " + s.pf() + " to " + s.numVfs() + " VFs");
            } catch (VfioFailure f) {
                problems.add(f.getMessage());
            }
        }
        for (MdevState m : op.mdevs()) {
            try {
                if (m.existed() && !root.exists("/sys/bus/mdev/devices/" + m.uuid())) {
                    writer.write(m.parentPath() + "/mdev_supported_types/" + m.type() + "/create", m.uuid());
                    log.add("created mdev " + m.uuid() + " (" + m.type() + ") again");
                } else if (!m.existed() && root.exists("/sys/bus/mdev/devices/" + m.uuid())) {
                    writer.writeWithTimeout("/sys/bus/mdev/devices/" + m.uuid() + "/remove", "1", Duration.ofSeconds(15));
                    log.add("removed mdev " + m.uuid());
                }
            } catch (VfioFailure f) {
                problems.add(f.getMessage());
            }
        }
        for (VgpuState v : op.vgpus()) {
            String file = "/sys/bus/pci/devices/" + v.vf() + "/nvidia/current_vgpu_type";
            try {
                int now = root.read(file).flatMap(x -> {
                    try {
                        return java.util.Optional.of(Integer.parseInt(x.strip()));
                    } catch (NumberFormatException e) {
                        return java.util.Optional.empty();
                    }
                }).orElse(-1);
                if (now == v.before()) {
                    log.add(v.vf() + " has vGPU type " + now + " already");
                } else if (now != v.after()) {
                    problems.add(v.vf() + " has vGPU type " + now + " now, not the " + v.after() + " vfiokit wrote: left as it is");
                } else {
                    writer.write(file, String.valueOf(v.before()));
                    log.add("set " + v.vf() + " back to vGPU type " + v.before());
                }
            } catch (VfioFailure f) {
                problems.add(f.getMessage());
            }
        }
        List<DeviceState> devices = new ArrayList<>(op.devices());
        java.util.Collections.reverse(devices);
        for (DeviceState d : devices) {
            try {
                restoreDevice(d);
            } catch (VfioFailure f) {
                problems.add(f.getMessage());
            }
        }
        for (FileState f : op.files()) {
            try {
                if (f.content() == null) {
                    writer.delete(f.path());
                } else {
                    writer.writeFile(f.path(), f.content());
                }
                log.add("restored " + f.path());
            } catch (VfioFailure ex) {
                problems.add(ex.getMessage());
            }
        }
        return problems;
    }

    private void restoreDevice(DeviceState d) {
        HostRoot root = writer.root();
        String base = "/sys/bus/pci/devices/" + d.address() + "/";
        if (!root.exists(base)) {
            log.add(d.address() + " is gone (a VF removed since?); nothing to restore");
            return;
        }
        String cur = root.linkName(base + "driver").orElse(null);
        String curOverride = root.read(base + "driver_override").filter(s -> !s.isEmpty() && !s.equals("(null)")).orElse(null);
        if (!java.util.Objects.equals(curOverride, d.driverOverride())) {
            writer.write(base + "driver_override", d.driverOverride() == null ? "" : d.driverOverride());
        }
        if (java.util.Objects.equals(cur, d.driver())) {
            log.add("restored " + d.address() + " (driver " + (cur == null ? "none" : cur) + ")");
            return;
        }
        if (cur != null) {
            writer.write(base + "driver/unbind", d.address().toString());
        }
        if (d.driver() != null) {
            writer.write("/sys/bus/pci/drivers_probe", d.address().toString());
            String now = root.linkName(base + "driver").orElse(null);
            if (!d.driver().equals(now) && root.exists("/sys/bus/pci/drivers/" + d.driver() + "/bind")) {
                if (now != null) {
                    writer.write(base + "driver/unbind", d.address().toString());
                }
                writer.write("/sys/bus/pci/drivers/" + d.driver() + "/bind", d.address().toString());
                now = root.linkName(base + "driver").orElse(null);
            }
            if (!d.driver().equals(now)) {
                throw VfioFailure.failed("could not give " + d.address() + " back to " + d.driver() + " (it is on " + (now == null ? "no driver" : now) + ")");
            }
        }
        log.add("restored " + d.address() + " to driver " + (d.driver() == null ? "none" : d.driver()));
    }
}
