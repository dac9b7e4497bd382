package dev.vfiokit.tuning.loss;

import dev.vfiokit.iommucheck.host.CpuList;
import dev.vfiokit.iommucheck.host.CpuThread;
import dev.vfiokit.iommucheck.host.HostSnapshot;
import dev.vfiokit.iommucheck.host.PciAddress;
import dev.vfiokit.iommucheck.host.PciDevice;
import dev.vfiokit.iommucheck.input.DomainXmlFacts;
import dev.vfiokit.tuning.Profile;
import dev.vfiokit.tuning.RuleOutcome;
import dev.vfiokit.tuning.Tuner;
import dev.vfiokit.tuning.TuningResult;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The causes of loss vfiokit can see in a domain and its host: the tuning rules of a profile that would still change
 * the domain (each is a cause, its rule the fix), TCG emulation, passed devices on a degraded PCIe link, vCPUs pinned
 * away from their devices' NUMA node.
 */
public final class LossCauses {
    /** What each built-in rule's absence weighs on, and how much; rules from user files count for any workload. */
    private record Effect(String concern, List<String> affects, String weight) {
    }

    private static final List<String> ALL = List.of("cpu", "memory", "storage", "network", "device");
    private static final Map<String, Effect> EFFECTS = Map.ofEntries(
            Map.entry("vcpu-pinning", new Effect("cpu-pinning", List.of("cpu", "memory", "device"), "high")),
            Map.entry("hugepages", new Effect("memory", List.of("memory", "device"), "high")),
            Map.entry("cpu-host-passthrough", new Effect("cpu-model", List.of("cpu", "memory"), "high")),
            Map.entry("disk-iothread", new Effect("storage", List.of("storage"), "high")),
            Map.entry("net-multiqueue", new Effect("network", List.of("network"), "medium")),
            Map.entry("balloon-none", new Effect("memory", List.of("memory", "device"), "medium")),
            Map.entry("ioapic-kvm", new Effect("interrupts", List.of("device", "storage", "network"), "medium")),
            Map.entry("q35", new Effect("emulated-devices", List.of("device"), "medium")),
            Map.entry("whole-device", new Effect("device", List.of("device"), "medium")),
            Map.entry("hyperv-enlightenments", new Effect("cpu-model", List.of("cpu", "memory", "device"), "high")),
            Map.entry("hypervclock", new Effect("timers", List.of("cpu"), "medium")),
            Map.entry("pmu-off", new Effect("cpu-model", List.of("cpu"), "low")),
            Map.entry("hpet-off", new Effect("timers", List.of("cpu"), "low")),
            Map.entry("remove-tablet", new Effect("emulated-devices", List.of("cpu"), "low")),
            Map.entry("usb-none", new Effect("emulated-devices", List.of("cpu"), "low")),
            Map.entry("remove-sound", new Effect("emulated-devices", List.of("cpu"), "low")),
            Map.entry("headless-no-graphics", new Effect("emulated-devices", List.of("cpu"), "low")),
            Map.entry("vmport-off", new Effect("emulated-devices", List.of("cpu"), "low")),
            Map.entry("nvidia-hide-kvm", new Effect("device", List.of("device"), "low")));
    /** Rules that change nothing a guest pays for (a console for the admin). */
    private static final Set<String> NOT_A_COST = Set.of("serial-console");
    private static final List<String> WEIGHTS = List.of("high", "medium", "low");

    private final Tuner tuner;

    public LossCauses(Tuner tuner) {
        this.tuner = tuner;
    }

    /** The profile causes are found against unless one is named: desktops keep the display and sound they are for. */
    public static String defaultProfile(Element domain) {
        return domain.getElementsByTagName("graphics").getLength() > 0 ? "gpu-desktop" : "compute-headless";
    }

    /**
     * The causes for {@code domainXml} on {@code host} against {@code profile}, those weighing on {@code workload}
     * first, heaviest first; {@code tuneCommand} is the complete command that tunes this domain with this profile,
     * the fix of every cause a rule addresses.
     */
    public List<LossCause> of(String domainXml, HostSnapshot host, Profile profile, String workload, String tuneCommand) {
        Element domain = dev.vfiokit.iommucheck.input.SecureXml.parse(domainXml, "the domain XML").getDocumentElement();
        List<LossCause> out = new ArrayList<>();
        if (domain.getAttribute("type").equals("qemu")) {
            out.add(new LossCause("emulation", "the domain runs under TCG (type='qemu'): QEMU translates every guest instruction, "
                    + "so the loss measured is emulation's, not KVM's" + (host != null && !host.kvmDevice() ? "; this host has no /dev/kvm" : ""),
                    null, "define it with type='kvm' on a host with /dev/kvm (VT-x/AMD-V on in firmware, kvm_intel or kvm_amd loaded)",
                    ALL, "high"));
        }
        TuningResult tuned = tuner.tune(domainXml, profile, host);
        for (RuleOutcome o : tuned.outcomes()) {
            if (NOT_A_COST.contains(o.rule().id())) {
                continue;
            }
            Effect e = EFFECTS.getOrDefault(o.rule().id(), new Effect(o.rule().id(), ALL, "medium"));
            if (o.status() == RuleOutcome.Status.APPLIED) {
                out.add(new LossCause(e.concern(), "not done: " + o.rule().title() + " — "
                        + String.join("; ", o.changes().subList(0, Math.min(2, o.changes().size()))), o.rule().id(), tuneCommand, e.affects(), e.weight()));
            } else if (o.status() == RuleOutcome.Status.CANNOT_APPLY) {
                out.add(new LossCause(e.concern(), "not possible here: " + o.rule().title() + " — " + o.reason(), o.rule().id(),
                        "make it possible on the host (see the reason), then " + tuneCommand, e.affects(), e.weight()));
            }
        }
        List<PciDevice> passed = host == null ? List.of()
                : DomainXmlFacts.passedPciAddresses(domain).stream().map(host::device).flatMap(java.util.Optional::stream).toList();
        for (PciDevice d : passed) {
            if (d.link() != null && (d.link().slowerThanCapable() || d.link().narrowerThanCapable())) {
                out.add(new LossCause("pcie-link", d.address() + " runs its PCIe link at " + d.link().describeCurrent() + " of "
                        + d.link().describeMax(), null, "reseat the card or move it to a slot of full width; check the firmware's "
                        + "PCIe speed setting (a link idle in power saving trains down: measure under load)", List.of("device"), "high"));
            }
        }
        numaCause(domain, host, passed, tuneCommand).ifPresent(out::add);
        out.sort(Comparator.comparing((LossCause c) -> !c.affects(workload)).thenComparing(c -> WEIGHTS.indexOf(c.weight())));
        return out;
    }

    /** vCPUs pinned only to CPUs of nodes none of the passed devices sits on: every DMA and interrupt crosses nodes. */
    private static java.util.Optional<LossCause> numaCause(Element domain, HostSnapshot host, List<PciDevice> passed, String tuneCommand) {
        if (host == null) {
            return java.util.Optional.empty();
        }
        Set<Integer> deviceNodes = new TreeSet<>();
        passed.stream().filter(d -> d.numaNode() >= 0).forEach(d -> deviceNodes.add(d.numaNode()));
        Set<Integer> pinned = new TreeSet<>();
        NodeList pins = domain.getElementsByTagName("vcpupin");
        for (int i = 0; i < pins.getLength(); i++) {
            pinned.addAll(CpuList.parse(((Element) pins.item(i)).getAttribute("cpuset")));
        }
        if (deviceNodes.isEmpty() || pinned.isEmpty()) {
            return java.util.Optional.empty();
        }
        Set<Integer> cpuNodes = new TreeSet<>();
        for (CpuThread t : host.cpuThreads()) {
            if (pinned.contains(t.cpu()) && t.numaNode() >= 0) {
                cpuNodes.add(t.numaNode());
            }
        }
        if (cpuNodes.isEmpty() || cpuNodes.stream().anyMatch(deviceNodes::contains)) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(new LossCause("numa", "vCPUs pinned to NUMA node " + cpuNodes + ", the passed devices sit on node "
                + deviceNodes + " (rule vcpu-pinning re-pins them on the devices' node)", "vcpu-pinning", tuneCommand,
                List.of("cpu", "memory", "device"), "high"));
    }
}
