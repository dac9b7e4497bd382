package dev.vfiokit.shell.usecase;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/**
 * One piece of work a host, all hosts at once, within one deadline: a host that fails or does not answer is that
 * host's outcome, never the others'; only a failure of this machine (libvirt's library missing) ends them all. A host still silent at the deadline is left behind on a daemon thread (a libvirt
 * call blocked in an ssh handshake cannot be interrupted), so the command ends without it.
 */
public final class PerHost {
    /** The default wait for a host's libvirt, in seconds; {@code --timeout} changes it. */
    public static final int DEFAULT_TIMEOUT_S = 30;
    private static final Duration GRACE = Duration.ofSeconds(2);

    private PerHost() {
    }

    /** What one host gave: its value, or why not (then value is null). */
    public record Outcome<T>(String host, T value, String failure) {
        public boolean ok() {
            return failure == null;
        }
    }

    /** The timeout option's value as a duration: whole seconds, 1 to 3600. */
    public static Duration timeout(String seconds) {
        if (seconds == null) {
            return Duration.ofSeconds(DEFAULT_TIMEOUT_S);
        }
        int s;
        try {
            s = Integer.parseInt(seconds.strip());
        } catch (NumberFormatException e) {
            s = -1;
        }
        if (s < 1 || s > 3600) {
            throw new IllegalArgumentException("--timeout is whole seconds from 1 to 3600, not '" + seconds + "'");
        }
        return Duration.ofSeconds(s);
    }

    public static <T> Map<String, Outcome<T>> run(List<String> hosts, Duration deadline, Function<String, T> work) {
        Map<String, Outcome<T>> out = new LinkedHashMap<>();
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, hosts.size()), r -> {
            Thread t = new Thread(r, "vfiokit-host");
            t.setDaemon(true);
            return t;
        });
        try {
            Map<String, Future<T>> futures = new LinkedHashMap<>();
            for (String h : hosts) {
                futures.put(h, pool.submit(() -> work.apply(h)));
            }
            // a little past the deadline: a connection's own timeout (the same one) says more, and ends its ssh
            long end = System.nanoTime() + deadline.toNanos() + GRACE.toNanos();
            for (Map.Entry<String, Future<T>> f : futures.entrySet()) {
                String host = f.getKey();
                try {
                    out.put(host, new Outcome<>(host, f.getValue().get(Math.max(0, end - System.nanoTime()), TimeUnit.NANOSECONDS), null));
                } catch (TimeoutException e) {
                    f.getValue().cancel(true);
                    out.put(host, new Outcome<>(host, null, "no answer within " + deadline.toSeconds()
                            + " s (is its sshd or libvirtd hung? --timeout waits longer)"));
                } catch (ExecutionException e) {
                    Throwable c = e.getCause();
                    if (c instanceof dev.vfiokit.libvirt.LibvirtFailure local && local.code() == dev.vfiokit.libvirt.LibvirtFailure.NO_LIBRARY) {
                        // this machine's failure (libvirt's library missing), not a host's: the command's error, said once
                        throw local;
                    }
                    out.put(host, new Outcome<>(host, null, c.getMessage() == null ? c.getClass().getSimpleName() : c.getMessage()));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted", e);
                }
            }
            return out;
        } finally {
            pool.shutdownNow();
        }
    }
}
