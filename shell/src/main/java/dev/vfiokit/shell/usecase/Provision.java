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

    /** @param planner places the VMs (templates, rules, and the manifest's file name for its errors) */
    public Provision(LibvirtTargets libvirt, ProvisionPlanner planner, Path stateDir) {
        this.libvirt = libvirt;
        this.planner = planner;
        this.stateDir = stateDir;
    }

    /** A manifest placed: the hosts as read, one plan a VM, and what could not be checked. */
    public record Planned(Map<String, HostFacts> hosts, List<VmPlan> plans, List<String> notes) {
        public Planned {
            plans = List.copyOf(plans);
            notes = List.copyOf(notes);
        }
    }

    /**
     * Places every VM, changing nothing. A host vfiokit reads itself (demo, local) whose libvirt cannot be reached is
     * planned from its snapshot alone, and a note says what was not checked.
     */
    public Planned plan(Manifest m) {
        List<String> notes = new ArrayList<>();
        Map<String, HostFacts> hosts = read(m, notes);
        return new Planned(hosts, planner.plan(m, hosts), notes);
    }

    /** Carries the manifest out; a host whose libvirt cannot be reached is an error here, not a note. */
    public List<VmResult> apply(Manifest m, Consumer<String> progress) {
        Map<String, HostFacts> hosts = read(m, null);
        return runner(hosts, progress).apply(planner.plan(m, hosts));
    }

    /** Stops and undefines the manifest's VMs that provisioning made; others are left alone. */
    public List<VmResult> destroy(Manifest m, Consumer<String> progress) {
        return runner(read(m, null), progress).destroy(m);
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

    /** {@code notes} null: an unreachable libvirt is an error. */
    private Map<String, HostFacts> read(Manifest m, List<String> notes) {
        Map<String, HostFacts> out = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : m.hosts().entrySet()) {
            HostTarget target = target(e.getValue());
            String uri = uri(target, e.getValue());
            boolean demo = target.kind() == HostTarget.Kind.DEMO;
            LibvirtConnection c;
            try {
                c = LibvirtConnection.open(uri, true);
            } catch (LibvirtFailure unreachable) {
                if (notes == null || target.root() == null) {
                    throw unreachable;
                }
                notes.add("host " + e.getKey() + ": not checked against its defined domains (" + unreachable.getMessage() + ")");
                HostSnapshot snap = new HostSnapshotReader(target.root()).read(e.getValue());
                out.put(e.getKey(), new HostFacts(e.getKey(), uri, demo || snap.kvmDevice() ? "kvm" : "qemu", snap, target,
                        Map.of(), Map.of(), Map.of(), Set.of(), NumaLedger.NONE));
                continue;
            }
            try (c) {
                HostSnapshot snap = target.root() == null ? NodeDeviceHost.read(c) : new HostSnapshotReader(target.root()).read(e.getValue());
                Map<String, Element> defined = AssignedDevices.definitions(c);
                Map<String, String> descriptions = AssignedDevices.descriptions(defined);
                Set<String> provisioned = new HashSet<>();
                defined.forEach((name, root) -> {
                    if (HostFacts.madeByProvision(root, descriptions.get(name))) {
                        provisioned.add(name);
                    }
                });
                out.put(e.getKey(), new HostFacts(e.getKey(), uri, demo ? "kvm" : c.bestDomainType(), snap, target,
                        AssignedDevices.read(defined), AssignedDevices.mdevs(defined), descriptions, provisioned, NumaLedger.of(defined),
                        c.libvirtVersion()));
            }
        }
        return out;
    }

    private ProvisionRunner runner(Map<String, HostFacts> hosts, Consumer<String> progress) {
        return new ProvisionRunner(hosts, stateDir, progress, hc -> {
            if (hosts.get(hc.host()).target().kind() == HostTarget.Kind.DEMO) {
                // the demo's domains live in its host file, for the next process
                libvirt.persistIfDemo("demo", null, hc.connection());
            }
        });
    }
}
