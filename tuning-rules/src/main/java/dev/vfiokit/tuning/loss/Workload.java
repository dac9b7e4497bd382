package dev.vfiokit.tuning.loss;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * What is run, the same on the host and in the guest: a built-in workload (a fixed pipeline of tools every Linux
 * has: dd, sha256sum, head) or the user's own program given as words. {@link #timedArgv()} wraps it in a shell that
 * takes the time inside the machine that runs it, so the agent's and libvirt's round trips are not counted.
 */
public record Workload(String name, String description, List<String> command, long mebibytes, String unit) {
    /** Built-in workloads by name, with the MiB each works through unless told (about a second on a KVM host's core). */
    private static final java.util.Map<String, Long> DEFAULT_MIB = java.util.Map.of("cpu", 1024L, "memory", 32768L, "storage", 1024L);
    private static final Pattern SAFE_DIR = Pattern.compile("/[A-Za-z0-9._/-]{0,200}");

    /** Prints "vfiokit-loss EXIT NANOSECONDS" and then the program's stderr (its stdout is dropped). */
    static final String TIMER = "s=$(date +%s%N); err=$(\"$@\" 2>&1 >/dev/null </dev/null); r=$?; e=$(date +%s%N); "
            + "printf 'vfiokit-loss %s %s\\n' \"$r\" \"$((e-s))\"; printf '%s\\n' \"$err\" | tail -n 5";

    public Workload {
        command = List.copyOf(command);
    }

    /** The size a built-in workload has unless told; an unknown name is refused here, saying which there are. */
    public static long defaultMebibytes(String name) {
        Long mib = DEFAULT_MIB.get(name);
        if (mib == null) {
            throw new IllegalArgumentException("unknown workload '" + name + "' (expected cpu, memory, storage or command)");
        }
        return mib;
    }

    /**
     * A built-in workload of {@code mebibytes} MiB: cpu (SHA-256 over zeros), memory (kernel-side copies in 64 MiB
     * blocks), storage (a file written and synced in {@code dir}, then removed).
     */
    public static Workload builtin(String name, long mebibytes, String dir) {
        if (mebibytes < 1 || mebibytes > 1_048_576) {
            throw new IllegalArgumentException("--size " + mebibytes + ": give 1 to 1048576 MiB");
        }
        return switch (name) {
            case "cpu" -> new Workload("cpu", "SHA-256 over " + mebibytes + " MiB of zeros (one core)",
                    List.of("/bin/sh", "-c", "head -c " + mebibytes + "M /dev/zero | sha256sum"), mebibytes, "MiB/s");
            case "memory" -> {
                long blocks = Math.max(1, mebibytes / 64);
                yield new Workload("memory", "memory write bandwidth: " + blocks * 64 + " MiB cleared by the kernel in 64 MiB blocks",
                        List.of("/bin/sh", "-c", "dd if=/dev/zero of=/dev/null bs=64M count=" + blocks + " 2>/dev/null"), blocks * 64, "MiB/s");
            }
            case "storage" -> {
                if (dir == null || !SAFE_DIR.matcher(dir).matches() || dir.contains("..")) {
                    throw new IllegalArgumentException("--dir '" + dir + "': give an absolute directory of letters, digits, '.', '_', '-', '/'");
                }
                String file = dir.replaceAll("/+$", "") + "/.vfiokit-loss-$$";
                yield new Workload("storage", mebibytes + " MiB written to " + dir + " and synced (dd conv=fsync), then removed",
                        List.of("/bin/sh", "-c", "dd if=/dev/zero of=" + file + " bs=1M count=" + mebibytes + " conv=fsync 2>/dev/null; r=$?; rm -f "
                                + file + "; exit $r"), mebibytes, "MiB/s");
            }
            default -> throw new IllegalArgumentException("unknown workload '" + name + "' (expected cpu, memory, storage or command)");
        };
    }

    /** The user's program, as words (no shell: each word is one argument); its wall time is the measure. */
    public static Workload command(List<String> argv) {
        if (argv.isEmpty() || argv.get(0).isBlank()) {
            throw new IllegalArgumentException("--command: give the program to run, e.g. --command '/usr/local/bin/bench --quick'");
        }
        return new Workload("command", String.join(" ", argv), argv, 0, "");
    }

    /** argv that runs the workload under {@link #TIMER}: the same words on the host and in the guest. */
    public List<String> timedArgv() {
        List<String> argv = new ArrayList<>(List.of("/bin/sh", "-c", TIMER, "vfiokit-loss"));
        argv.addAll(command);
        return argv;
    }

    /** Throughput of one run, where the workload has a size. */
    public double throughput(double seconds) {
        return mebibytes > 0 && seconds > 0 ? mebibytes / seconds : 0;
    }
}
