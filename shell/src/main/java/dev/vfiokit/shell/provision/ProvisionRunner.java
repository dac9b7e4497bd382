package dev.vfiokit.shell.provision;

import dev.vfiokit.libvirt.DomainSummary;
import dev.vfiokit.libvirt.LibvirtConnection;
import dev.vfiokit.vfio.HostWriter;
import dev.vfiokit.vfio.MdevPlanner;
import dev.vfiokit.vfio.PlanRunner;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;

/**
 * Carries a plan out, host by host in parallel (one libvirt connection per host, up to {@link #DEFINES_IN_FLIGHT}
 * defines at once on it), each VM all or nothing: a VM
 * that fails is rolled back (its definition undefined or restored, its new mdev removed) and reported, the
 * others go on. Test hook: VFIOKIT_FAIL_VM=NAME fails that VM after its definition.
 */
public final class ProvisionRunner {
    private final Map<String, HostFacts> hosts;
    private final Path stateDir;
    private final Consumer<String> progress;
    private final Consumer<HostConnection> afterHost;

    /** A host and its open connection, handed to afterHost (the demo host keeps its domains in a file) where a VM changed. */
    public record HostConnection(String host, LibvirtConnection connection) {
    }

    public ProvisionRunner(Map<String, HostFacts> hosts, Path stateDir, Consumer<String> progress, Consumer<HostConnection> afterHost) {
        this(hosts, stateDir, progress, afterHost, Map.of());
    }

    /**
     * @param open read-write connections to hosts, left open by the read of their facts and closed by whoever opened
     *             them: used instead of connecting again, which on a remote host is another ssh handshake and on the
     *             demo host another load of its file; a host not in it is connected to (and closed) here
     */
    public ProvisionRunner(Map<String, HostFacts> hosts, Path stateDir, Consumer<String> progress, Consumer<HostConnection> afterHost,
                           Map<String, LibvirtConnection> open) {
        this.hosts = hosts;
        this.stateDir = stateDir;
        this.progress = progress;
        this.afterHost = afterHost;
        this.open = Map.copyOf(open);
    }

    private final Map<String, LibvirtConnection> open;

    public List<VmResult> apply(List<VmPlan> all) {
        List<VmResult> notReached = all.stream().filter(p -> p.status() == VmPlan.Status.NOT_REACHED)
                .map(p -> new VmResult(p.spec().name(), p.spec().host(), VmResult.Outcome.FAILED, p.actions().get(0))).toList();
        List<VmPlan> plans = all.stream().filter(p -> p.status() != VmPlan.Status.NOT_REACHED).toList();
        List<VmResult> results = new ArrayList<>(perHost(plans.stream().map(p -> p.spec().host()).distinct().toList(), (host, conn) ->
                inFlight(plans.stream().filter(p -> p.spec().host().equals(host)).toList(), p -> {
                    VmResult r = applyOne(p, conn);
                    progress.accept(r.outcome() + " " + p.spec().name() + " on " + host);
                    return r;
                })));
        results.addAll(notReached);
        return results;
    }

    /**
     * Defines in flight at once on one host, over its one connection: what libvirt took best in domain-bench (1,000
     * domains, 1 → 2 → 4 threads: the test driver 1,602 → 2,453 → 2,816 defines/s, the real libvirtd 321 → 425 → 528
     * generated, validated and defined a second); each define is also validated here, on every core.
     */
    public static final int DEFINES_IN_FLIGHT = 4;

    /**
     * One host's VMs, their results in manifest order: a VM that writes to the host (a vGPU or an mdev to make) and
     * one already as the manifest wants it run here, one after another; the defines of the others overlap. Each VM
     * is all or nothing on its own, so the order they finish in changes nothing but progress lines.
     */
    private static List<VmResult> inFlight(List<VmPlan> mine, java.util.function.Function<VmPlan, VmResult> one) {
        ExecutorService pool = Executors.newFixedThreadPool(DEFINES_IN_FLIGHT, r -> {
            Thread t = new Thread(r, "vfiokit-define");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<VmResult>> out = new ArrayList<>();
            for (VmPlan p : mine) {
                if (p.newMdev() != null || p.newVgpu() != null || p.status() == VmPlan.Status.UNCHANGED) {
                    out.add(java.util.concurrent.CompletableFuture.completedFuture(one.apply(p)));
                } else {
                    out.add(pool.submit(() -> one.apply(p)));
                }
            }
            List<VmResult> results = InOrder.results(out);
            return results;
        } finally {
            pool.shutdown();
        }
    }

    private VmResult applyOne(VmPlan p, LibvirtConnection conn) {
        String name = p.spec().name();
        if (p.status() == VmPlan.Status.UNCHANGED) {
            return new VmResult(name, p.spec().host(), VmResult.Outcome.SKIPPED, "already as the manifest wants it");
        }
        String previous = p.status() == VmPlan.Status.UPDATE ? conn.dumpXml(name, true) : null;
        String mdevJournal = null;
        String vgpuJournal = null;
        boolean defined = false;
        HostFacts h = hosts.get(p.spec().host());
        try {
            VmPlan.NewVgpu nv = p.newVgpu();
            if (nv != null) {
                var vf = h.snapshot().device(dev.vfiokit.iommucheck.host.PciAddress.parse(nv.vf())).orElseThrow();
                if (vf.vendorVgpu() != null && vf.vendorVgpu().currentType() != nv.type()) {
                    var op = new dev.vfiokit.vfio.VgpuPlanner(h.snapshot()).create(vf.address(), String.valueOf(nv.type()), java.util.Map.of());
                    vgpuJournal = new PlanRunner(new HostWriter(h.target()), stateDir).apply(op);
                }
            }
            VmPlan.NewMdev nm = p.newMdev();
            if (nm != null && h.snapshot().mdevs().stream().noneMatch(m -> m.uuid().equals(nm.uuid().value()))) {
                var op = new MdevPlanner(h.snapshot()).create(nm.parent(), nm.type(), nm.uuid(), 1, false);
                mdevJournal = new PlanRunner(new HostWriter(h.target()), stateDir).apply(op);
            }
            conn.define(p.xml());
            defined = true;
            if (name.equals(System.getenv("VFIOKIT_FAIL_VM"))) {
                throw new IllegalStateException("injected failure (VFIOKIT_FAIL_VM)");
            }
            return new VmResult(name, p.spec().host(), p.status() == VmPlan.Status.CREATE ? VmResult.Outcome.CREATED : VmResult.Outcome.UPDATED, "");
        } catch (RuntimeException e) {
            List<String> rollback = new ArrayList<>();
            try {
                if (defined && previous == null) {
                    conn.undefine(name);
                    rollback.add("undefined");
                } else if (defined) {
                    conn.define(previous);
                    rollback.add("previous definition restored");
                }
                if (mdevJournal != null) {
                    new PlanRunner(new HostWriter(h.target()), stateDir).undo(mdevJournal);
                    rollback.add("mdev removed");
                }
                if (vgpuJournal != null) {
                    new PlanRunner(new HostWriter(h.target()), stateDir).undo(vgpuJournal);
                    rollback.add("vGPU released");
                }
            } catch (RuntimeException r) {
                rollback.add("rollback incomplete: " + r.getMessage());
            }
            return new VmResult(name, p.spec().host(), VmResult.Outcome.FAILED, e.getMessage() + (rollback.isEmpty() ? "" : " (" + String.join(", ", rollback) + ")"));
        }
    }

    /** Stops and undefines the manifest's VMs that vfiokit provisioned; leaves alone what it did not make. */
    public List<VmResult> destroy(Manifest m, Map<String, String> notReached) {
        return destroy(m, notReached, false);
    }

    /** @param dryRun say what would be removed (outcome removed, "dry run" in the message), change nothing */
    public List<VmResult> destroy(Manifest m, Map<String, String> notReached, boolean dryRun) {
        List<VmResult> skipped = m.vms().stream().filter(v -> notReached.containsKey(v.host()))
                .map(v -> new VmResult(v.name(), v.host(), VmResult.Outcome.FAILED, "host " + v.host() + " not reached: " + notReached.get(v.host()))).toList();
        List<VmResult> done = new ArrayList<>(perHost(m.hosts().keySet().stream().filter(h -> !notReached.containsKey(h)
                && m.vms().stream().anyMatch(v -> v.host().equals(h))).toList(), (host, conn) -> {
            List<VmResult> out = new ArrayList<>();
            // the definitions were read with the host's facts a moment ago (through this connection, when the read lent it)
            HostFacts h = hosts.get(host);
            List<DomainSummary> domains = conn.domains();
            for (VmSpec v : m.vms()) {
                if (!v.host().equals(host)) {
                    continue;
                }
                if (!h.descriptions().containsKey(v.name())) {
                    out.add(new VmResult(v.name(), host, VmResult.Outcome.SKIPPED, "not defined"));
                } else if (!h.provisioned(v.name())) {
                    out.add(new VmResult(v.name(), host, VmResult.Outcome.SKIPPED, "not made by vfiokit provision: left alone"));
                } else if (dryRun) {
                    out.add(new VmResult(v.name(), host, VmResult.Outcome.REMOVED, "dry run: would be stopped and undefined"));
                } else {
                    try {
                        if (domains.stream().anyMatch(x -> x.name().equals(v.name()) && x.running())) {
                            conn.stop(v.name(), true);
                        }
                        conn.undefine(v.name());
                        out.add(new VmResult(v.name(), host, VmResult.Outcome.REMOVED, ""));
                    } catch (RuntimeException e) {
                        out.add(new VmResult(v.name(), host, VmResult.Outcome.FAILED, e.getMessage()));
                    }
                }
                progress.accept(out.get(out.size() - 1).outcome() + " " + v.name() + " on " + host);
            }
            return out;
        }));
        done.addAll(skipped);
        return done;
    }

    @FunctionalInterface
    private interface HostWork {
        List<VmResult> run(String host, LibvirtConnection conn);
    }

    private List<VmResult> perHost(List<String> hostNames, HostWork work) {
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, hostNames.size()));
        try {
            Map<String, Future<List<VmResult>>> futures = new LinkedHashMap<>();
            for (String host : hostNames) {
                futures.put(host, pool.submit(() -> {
                    LibvirtConnection lent = open.get(host);
                    try (LibvirtConnection own = lent == null ? LibvirtConnection.open(hosts.get(host).uri(), false) : null) {
                        LibvirtConnection c = lent == null ? own : lent;
                        List<VmResult> r = work.run(host, c);
                        // a host where every VM was skipped is as it was: nothing to keep (a re-apply writes nothing)
                        if (r.stream().anyMatch(x -> x.outcome() != VmResult.Outcome.SKIPPED)) {
                            afterHost.accept(new HostConnection(host, c));
                        }
                        return r;
                    }
                }));
            }
            List<VmResult> all = Collections.synchronizedList(new ArrayList<>());
            for (Map.Entry<String, Future<List<VmResult>>> f : futures.entrySet()) {
                try {
                    all.addAll(f.getValue().get());
                } catch (java.util.concurrent.ExecutionException e) {
                    all.add(new VmResult("*", f.getKey(), VmResult.Outcome.FAILED, e.getCause().getMessage()));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted", e);
                }
            }
            return all;
        } finally {
            pool.shutdownNow();
        }
    }
}
