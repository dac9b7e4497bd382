package dev.vfiokit.shell.usecase;

import dev.vfiokit.iommucheck.fixture.DemoHost;
import dev.vfiokit.iommucheck.host.HostSnapshot;
import dev.vfiokit.iommucheck.host.HostSnapshotReader;
import dev.vfiokit.libvirt.AssignedDevices;
import dev.vfiokit.libvirt.LibvirtConnection;
import dev.vfiokit.libvirt.LibvirtFailure;
import dev.vfiokit.libvirt.NodeDeviceHost;
import dev.vfiokit.shell.LibvirtTargets;
import dev.vfiokit.shell.provision.HostFacts;
import dev.vfiokit.shell.provision.Manifest;
import dev.vfiokit.shell.provision.ProvisionPlanner;
import dev.vfiokit.shell.provision.ProvisionRunner;
import dev.vfiokit.shell.provision.VmPlan;
import dev.vfiokit.shell.provision.VmResult;
import dev.vfiokit.tuning.NumaLedger;
import dev.vfiokit.vfio.HostTarget;
import org.w3c.dom.Element;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * {@code provision plan|apply|destroy} as one use case: each host of a manifest read once (its snapshot, and in one
 * libvirt connection the definitions there, each dumped and parsed once), every VM placed, then carried out host by
 * host or removed. Commands parse options and render; this decides.
 */
public final class Provision {
    private final LibvirtTargets libvirt;
    private final ProvisionPlanner planner;
    private final Path stateDir;
    private final Duration timeout;

    /** @param planner places the VMs (templates, rules, and the manifest's file name for its errors) */
    public Provision(LibvirtTargets libvirt, ProvisionPlanner planner, Path stateDir) {
        this(libvirt, planner, stateDir, Duration.ofSeconds(PerHost.DEFAULT_TIMEOUT_S));
    }

    /** @param timeout how long each host's libvirt may take to be reached and read (all hosts at once) */
    public Provision(LibvirtTargets libvirt, ProvisionPlanner planner, Path stateDir, Duration timeout) {
        this.libvirt = libvirt;
        this.planner = planner;
        this.stateDir = stateDir;
        this.timeout = timeout;
    }

    /** A manifest placed: the hosts as read, one plan a VM, what could not be checked, the hosts not reached and why. */
    public record Planned(Map<String, HostFacts> hosts, List<VmPlan> plans, List<String> notes, Map<String, String> notReached) {
        public Planned {
            plans = List.copyOf(plans);
            notes = List.copyOf(notes);
            notReached = Map.copyOf(notReached);
        }
    }

    /**
     * Places every VM, changing nothing. A host vfiokit reads itself (demo, local) whose libvirt cannot be reached is
     * planned from its snapshot alone, and a note says what was not checked; a host seen only through libvirt that
     * does not answer has its VMs planned as NOT_REACHED, and the other hosts are planned as ever.
     */
    public Planned plan(Manifest m) {
        List<String> notes = new ArrayList<>();
        Hosts hosts = read(m, notes);
        return new Planned(hosts.facts(), planner.plan(m, hosts.facts(), hosts.notReached()), notes, hosts.notReached());
    }

    /** Carries the manifest out; the VMs of a host that cannot be reached fail (with why), the other hosts go on. */
    public List<VmResult> apply(Manifest m, Consumer<String> progress) {
        try (KeptConnections kept = new KeptConnections()) {
            Hosts hosts = read(m, null, kept);
            return runner(hosts.facts(), progress, kept).apply(planner.plan(m, hosts.facts(), hosts.notReached()));
        }
    }

    /** Stops and undefines the manifest's VMs that provisioning made; others are left alone. */
    public List<VmResult> destroy(Manifest m, Consumer<String> progress, boolean dryRun) {
        try (KeptConnections kept = new KeptConnections()) {
            Hosts hosts = read(m, null, kept);
            return runner(hosts.facts(), progress, kept).destroy(m, hosts.notReached(), dryRun);
        }
    }

    /** The hosts read, and those not reached with why. */
    private record Hosts(Map<String, HostFacts> facts, Map<String, String> notReached) {
    }

    /**
     * The read-write connections the read of an apply or destroy leaves open for the run after it, by host; it lends
     * them to the runner and closes them all at the end, also one that a host too slow for the timeout opens late.
     */
    private static final class KeptConnections implements AutoCloseable {
        private final Map<String, LibvirtConnection> open = new LinkedHashMap<>();
        private boolean closed;

        synchronized void keep(String host, LibvirtConnection c) {
            if (closed) {
                c.close();
            } else {
                open.put(host, c);
            }
        }

        synchronized Map<String, LibvirtConnection> lent() {
            return Map.copyOf(open);
        }

        @Override
        public synchronized void close() {
            closed = true;
            open.values().forEach(LibvirtConnection::close);
            open.clear();
        }
    }

    /** A manifest's host word: demo, local, or a libvirt URI. */
    public static HostTarget target(String value) {
        return switch (value) {
            case "demo" -> HostTarget.demo(DemoHost.root());
            case "local" -> HostTarget.local();
            default -> HostTarget.libvirt(value);
        };
    }

    private String uri(HostTarget target, String value) {
        return switch (target.kind()) {
            case DEMO -> libvirt.uri("demo", null);
            case LOCAL -> LibvirtTargets.DEFAULT_URI;
            default -> value;
        };
    }

    /**
     * Every host at once, each within the timeout. {@code notes} non-null (plan): a host vfiokit reads itself whose
     * libvirt is not reached is planned from its snapshot, with a note; otherwise such a host is not reached.
     */
    private Hosts read(Manifest m, List<String> notes) {
        return read(m, notes, null);
    }

    /** @param kept non-null (apply, destroy): each host's connection is opened read-write and left open there */
    private Hosts read(Manifest m, List<String> notes, KeptConnections kept) {
        List<String> names = new ArrayList<>(m.hosts().keySet());
        // a malformed URI is the manifest's error, said before any host is tried, not a host "not reached"
        m.hosts().values().stream().filter(v -> target(v).kind() == HostTarget.Kind.LIBVIRT).forEach(dev.vfiokit.libvirt.LibvirtUri::parse);
        List<String> hostNotes = java.util.Collections.synchronizedList(new ArrayList<>());
        Map<String, PerHost.Outcome<HostFacts>> read = PerHost.run(names, timeout, name -> readHost(name, m.hosts().get(name),
                notes == null ? null : hostNotes, kept));
        Map<String, HostFacts> out = new LinkedHashMap<>();
        Map<String, String> notReached = new LinkedHashMap<>();
        for (PerHost.Outcome<HostFacts> o : read.values()) {
            if (o.ok()) {
                out.put(o.host(), o.value());
            } else {
                notReached.put(o.host(), o.failure());
            }
        }
        if (notes != null) {
            // in the manifest's order of hosts, whatever order the threads finished in
            names.forEach(n -> hostNotes.stream().filter(x -> x.startsWith("host " + n + ":")).forEach(notes::add));
        }
        return new Hosts(out, notReached);
    }

    private HostFacts readHost(String name, String value, List<String> notes, KeptConnections kept) {
        HostTarget target = target(value);
        String uri = uri(target, value);
        boolean demo = target.kind() == HostTarget.Kind.DEMO;
        LibvirtConnection c;
        try {
            c = LibvirtConnection.open(uri, kept == null, timeout);
        } catch (LibvirtFailure unreachable) {
            if (notes == null || target.root() == null) {
                throw unreachable;
            }
            notes.add("host " + name + ": not checked against its defined domains (" + unreachable.getMessage() + ")");
            HostSnapshot snap = new HostSnapshotReader(target.root()).read(value);
            return new HostFacts(name, uri, demo || snap.kvmDevice() ? "kvm" : "qemu", snap, target,
                    Map.of(), Map.of(), Map.of(), Set.of(), NumaLedger.NONE);
        }
        boolean handedOver = false;
        try {
            HostSnapshot snap = target.root() == null ? NodeDeviceHost.read(c) : new HostSnapshotReader(target.root()).read(value);
            Map<String, Element> defined = AssignedDevices.definitions(c);
            Map<String, String> descriptions = AssignedDevices.descriptions(defined);
            Set<String> provisioned = new HashSet<>();
            defined.forEach((domain, root) -> {
                if (HostFacts.madeByProvision(root, descriptions.get(domain))) {
                    provisioned.add(domain);
                }
            });
            HostFacts facts = new HostFacts(name, uri, demo ? "kvm" : c.bestDomainType(), snap, target,
                    AssignedDevices.read(defined), AssignedDevices.mdevs(defined), descriptions, provisioned, NumaLedger.of(defined),
                    c.libvirtVersion(), AssignedDevices.lockedMemory(defined));
            if (kept != null) {
                kept.keep(name, c);
                handedOver = true;
            }
            return facts;
        } finally {
            if (!handedOver) {
                c.close();
            }
        }
    }

    private ProvisionRunner runner(Map<String, HostFacts> hosts, Consumer<String> progress, KeptConnections kept) {
        return new ProvisionRunner(hosts, stateDir, progress, hc -> {
            if (hosts.get(hc.host()).target().kind() == HostTarget.Kind.DEMO) {
                // the demo's domains live in its host file, for the next process
                libvirt.persistIfDemo("demo", null, hc.connection());
            }
        }, kept.lent());
    }
}
