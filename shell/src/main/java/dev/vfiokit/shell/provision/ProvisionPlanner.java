package dev.vfiokit.shell.provision;

import dev.vfiokit.iommucheck.host.CpuList;
import dev.vfiokit.iommucheck.host.CpuThread;
import dev.vfiokit.iommucheck.host.Hugepages;
import dev.vfiokit.iommucheck.host.MdevUuid;
import dev.vfiokit.iommucheck.host.NumaNode;
import dev.vfiokit.iommucheck.host.PciAddress;
import dev.vfiokit.iommucheck.host.PciDevice;
import dev.vfiokit.shell.usecase.MdevAllocation;
import dev.vfiokit.templates.DomainGenerator;
import dev.vfiokit.templates.DomainOwner;
import dev.vfiokit.templates.DomainRequest;
import dev.vfiokit.templates.GeneratedDomain;
import dev.vfiokit.templates.TemplateCatalogue;
import dev.vfiokit.templates.VfRequest;
import dev.vfiokit.templates.xml.CpuSet;
import dev.vfiokit.templates.xml.CpuTune;
import dev.vfiokit.templates.xml.Domain;
import dev.vfiokit.templates.xml.DomainXml;
import dev.vfiokit.templates.xml.Flag;
import dev.vfiokit.templates.xml.MemoryBacking;
import dev.vfiokit.templates.xml.NumaMemory;
import dev.vfiokit.templates.xml.NumaTune;
import dev.vfiokit.templates.xml.Page;
import dev.vfiokit.templates.xml.VcpuPin;
import dev.vfiokit.tuning.Profile;
import dev.vfiokit.tuning.RuleCatalogue;
import dev.vfiokit.tuning.Tuner;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Places every VM of a manifest on its host and writes its domain XML, changing nothing: devices are free ones
 * only and never given twice, vCPUs are pinned on the NUMA node of the VM's devices, cores and hugepages are
 * never over-committed, mdev types never beyond their free instances. A placement that cannot be made is an
 * error naming the VM's line.
 */
public final class ProvisionPlanner {
    public static final String STAMP = "vfiokit provision sha256:";
    private static final Set<String> PLACED_BY_PLANNER = Set.of("vcpu-pinning", "hugepages");
    private final TemplateCatalogue templates;
    private final RuleCatalogue rules;
    private final String file;

    public ProvisionPlanner(TemplateCatalogue templates, RuleCatalogue rules, String file) {
        this.templates = templates;
        this.rules = rules;
        this.file = file;
    }

    /** Per-host placement state while planning. */
    private static final class Ledger {
        final Set<PciAddress> taken = new HashSet<>();
        final Map<Integer, List<List<Integer>>> freeCores = new TreeMap<>();
        final Map<Integer, List<Integer>> hostCore = new HashMap<>();
        final Map<String, Long> freePages = new HashMap<>();
        MdevAllocation mdevs;
    }

    public List<VmPlan> plan(Manifest m, Map<String, HostFacts> hosts) {
        Map<String, Ledger> ledgers = new HashMap<>();
        List<VmPlan> plans = new ArrayList<>();
        for (VmSpec vm : m.vms()) {
            HostFacts h = hosts.get(vm.host());
            Ledger l = ledgers.computeIfAbsent(vm.host(), k -> ledger(h, m));
            try {
                plans.add(plan(vm, h, l));
            } catch (ManifestReader.ManifestError e) {
                throw e;
            } catch (RuntimeException e) {
                throw new ManifestReader.ManifestError(file + ":" + vm.line() + ": VM " + vm.name() + ": " + e.getMessage());
            }
        }
        return plans;
    }

    private Ledger ledger(HostFacts h, Manifest m) {
        Ledger l = new Ledger();
        Set<String> ours = new HashSet<>();
        m.vms().stream().filter(v -> v.host().equals(h.name())).forEach(v -> ours.add(v.name()));
        // devices held by domains the manifest does not describe are not free; its own VMs' devices are re-placed
        h.assigned().forEach((a, d) -> {
            if (!ours.contains(d)) {
                l.taken.add(a);
            }
        });
        for (NumaNode n : h.snapshot().numaNodes()) {
            Map<Integer, List<Integer>> cores = new TreeMap<>();
            for (CpuThread t : h.snapshot().cpuThreads()) {
                if (t.numaNode() == n.id()) {
                    List<Integer> sib = t.siblings().stream().sorted().toList();
                    cores.putIfAbsent(sib.get(0), sib);
                }
            }
            List<List<Integer>> list = new ArrayList<>(cores.values());
            if (!list.isEmpty()) {
                l.hostCore.put(n.id(), list.remove(0));
            }
            // cores that domains the manifest does not describe are pinned to stay theirs (tune --apply, the admin's)
            list.removeIf(core -> core.stream().anyMatch(cpu -> h.pinned().taken(cpu) && !ours.contains(h.pinned().byCpu().get(cpu))));
            l.freeCores.put(n.id(), list);
            for (Hugepages p : n.hugepages()) {
                l.freePages.put(n.id() + "/" + p.sizeKb(), p.free());
            }
        }
        // mdevs the manifest's own VMs use are theirs to take again
        Set<String> inUse = new HashSet<>();
        h.mdevUsers().forEach((uuid, user) -> {
            if (!ours.contains(user)) {
                inUse.add(uuid);
            }
        });
        l.mdevs = new MdevAllocation(h.snapshot(), inUse);
        return l;
    }

    private VmPlan plan(VmSpec vm, HostFacts h, Ledger l) {
        var template = templates.get(vm.template());
        Profile profile = vm.profile() == null ? null : rules.profile(vm.profile());
        List<String> actions = new ArrayList<>();
        List<PciAddress> gpus = new ArrayList<>();
        for (String g : vm.gpus()) {
            PciAddress a = PciAddress.parse(g);
            if (l.taken.contains(a)) {
                throw new IllegalArgumentException(a + " is taken (by another domain or an earlier VM of this manifest)");
            }
            gpus.add(a);
        }
        if (vm.gpuModel() != null) {
            gpus.addAll(pickGpus(vm, h, l));
        }
        Map<PciAddress, String> assigned = new HashMap<>();
        l.taken.forEach(a -> assigned.put(a, "an earlier VM or another domain"));
        String mdevUuid = null;
        VmPlan.NewMdev newMdev = null;
        if (vm.mdevType() != null) {
            MdevAllocation.Choice choice = l.mdevs.allocate(vm.mdevType(), null);
            if (choice instanceof MdevAllocation.Existing e) {
                mdevUuid = e.mdev().uuid();
                actions.add("use the free mdev " + mdevUuid + " (" + e.mdev().type() + ")");
            } else {
                MdevAllocation.ToCreate c = (MdevAllocation.ToCreate) choice;
                if (!h.canChangeHost()) {
                    throw new IllegalArgumentException("no free mdev of type " + vm.mdevType() + " on " + h.name()
                            + ", and mdevs are created only on a host vfiokit runs on (local)");
                }
                // the UUID is derived from host and VM, so a second apply finds the same mdev
                MdevUuid uuid = MdevUuid.parse(java.util.UUID.nameUUIDFromBytes(("vfiokit-mdev:" + h.name() + "/" + vm.name())
                        .getBytes(StandardCharsets.UTF_8)).toString());
                newMdev = new VmPlan.NewMdev(c.parent().name(), c.type().id(), uuid);
                mdevUuid = uuid.value();
                actions.add("create mdev " + mdevUuid + " of type " + c.type().id() + " on " + c.parent().name());
            }
        }
        List<String> mdevs = mdevUuid == null ? List.of() : List.of(mdevUuid);
        DomainRequest req = new DomainRequest(vm.template(), vm.name(), h.domainType(), vm.vcpus(), vm.memory(), vm.disk(), gpus,
                vm.vfs().stream().map(VfRequest::parse).toList(), mdevs, true, null, false, Map.of());
        String options = h.target().kind() == dev.vfiokit.vfio.HostTarget.Kind.LIBVIRT ? null : dev.vfiokit.shell.ScriptWords.options(h.target());
        GeneratedDomain g = new DomainGenerator(h.snapshot(), assigned, options).generate(template, req);
        Domain d = g.domain();
        // the stamp hashes the domain without vfiokit's mark (its version would make every upgrade redefine every VM)
        DomainOwner.unmark(d);
        for (var hd : d.devices.hostdevs) {
            if (hd.source != null && hd.source.address != null && hd.source.address.toPciAddress() != null) {
                l.taken.add(hd.source.address.toPciAddress());
            }
        }
        for (var i : d.devices.interfaces) {
            if (i.source != null && i.source.address != null) {
                l.taken.add(i.source.address.toPciAddress());
            }
        }
        int node = nodeOf(h, d, l);
        if (vm.pin()) {
            pin(d, node, l, actions);
        }
        if (profile != null && profile.ruleIds().contains("hugepages")) {
            hugepages(d, node, l, actions);
        }
        d.description = STAMP + "pending";
        String xml = DomainXml.write(d);
        if (profile != null) {
            Profile rest = new Profile(profile.name(), profile.description(), profile.traits(),
                    profile.ruleIds().stream().filter(r -> !PLACED_BY_PLANNER.contains(r)).toList(), profile.origin());
            if (vm.hideKvm()) {
                rest = rest.withTrait("hide-kvm"); // KVM hidden only where the manifest asks
            }
            xml = new Tuner(rules).tune(xml, rest, h.snapshot()).tunedXml();
            actions.add("tune with " + profile.name());
        }
        String stamp = STAMP + sha256(xml).substring(0, 16);
        xml = DomainOwner.of(DomainOwner.BY_PROVISION, vm.name(), java.nio.file.Path.of(file).getFileName().toString()).markXml(xml.replace(STAMP + "pending", stamp));
        String existing = h.descriptions().get(vm.name());
        if (existing != null && !h.provisioned(vm.name())) {
            // a domain of that name that vfiokit did not provision is the admin's: never redefined, never destroyed
            throw new IllegalArgumentException("domain '" + vm.name() + "' already exists on " + h.name()
                    + " and was not made by vfiokit provision: refusing to redefine it (rename the VM, or undefine that domain yourself)");
        }
        VmPlan.Status status = existing == null ? VmPlan.Status.CREATE : existing.equals(stamp) ? VmPlan.Status.UNCHANGED : VmPlan.Status.UPDATE;
        actions.add(0, (switch (status) {
            case CREATE -> "define ";
            case UPDATE -> "redefine ";
            case UNCHANGED -> "keep ";
        }) + vm.name() + " ("
                + vm.template() + (gpus.isEmpty() ? "" : ", GPUs " + String.join(" ", gpus.stream().map(PciAddress::toString).toList()))
                + (vm.vfs().isEmpty() ? "" : ", " + vm.vfs().size() + " VF(s)") + ")");
        return new VmPlan(vm, h.uri(), status, xml, stamp, actions, newMdev);
    }

    private List<PciAddress> pickGpus(VmSpec vm, HostFacts h, Ledger l) {
        String model = vm.gpuModel().toLowerCase();
        var names = dev.vfiokit.iommucheck.host.PciIdNames.load(h.root() == null ? dev.vfiokit.iommucheck.host.HostRoot.local() : h.root(),
                h.snapshot().gpus());
        Map<Integer, List<PciAddress>> byNode = new TreeMap<>();
        for (PciDevice g : h.snapshot().gpus()) {
            boolean matches = g.ids().equals(model) || names.describe(g).toLowerCase().contains(model);
            if (matches && !l.taken.contains(g.address())) {
                byNode.computeIfAbsent(g.numaNode(), k -> new ArrayList<>()).add(g.address());
            }
        }
        for (List<PciAddress> free : byNode.values()) {
            if (free.size() >= vm.gpuCount()) {
                return free.subList(0, vm.gpuCount());
            }
        }
        int total = byNode.values().stream().mapToInt(List::size).sum();
        throw new IllegalArgumentException("wants " + vm.gpuCount() + " free GPU(s) matching '" + vm.gpuModel() + "' on one NUMA node; "
                + total + " free in all" + (byNode.isEmpty() ? "" : " (per node: " + byNode.entrySet().stream()
                .map(e -> "node " + e.getKey() + ": " + e.getValue().size()).toList() + ")"));
    }

    private int nodeOf(HostFacts h, Domain d, Ledger l) {
        for (var hd : d.devices.hostdevs) {
            PciAddress a = hd.source == null || hd.source.address == null ? null : hd.source.address.toPciAddress();
            if (a != null) {
                int n = h.snapshot().device(a).map(PciDevice::numaNode).orElse(-1);
                if (n >= 0) {
                    return n;
                }
            }
        }
        for (var i : d.devices.interfaces) {
            PciAddress a = i.source == null || i.source.address == null ? null : i.source.address.toPciAddress();
            int n = a == null ? -1 : h.snapshot().device(a).map(PciDevice::numaNode).orElse(-1);
            if (n >= 0) {
                return n;
            }
        }
        return l.freeCores.entrySet().stream().max((a, b) -> Integer.compare(a.getValue().size(), b.getValue().size()))
                .map(Map.Entry::getKey).orElse(0);
    }

    private static void pin(Domain d, int node, Ledger l, List<String> actions) {
        int vcpus = d.vcpu.count;
        List<List<Integer>> free = l.freeCores.getOrDefault(node, new ArrayList<>());
        List<Integer> cpus = new ArrayList<>();
        int used = 0;
        while (cpus.size() < vcpus && used < free.size()) {
            cpus.addAll(free.get(used++));
        }
        if (cpus.size() < vcpus) {
            throw new IllegalArgumentException("needs " + vcpus + " vCPUs pinned on NUMA node " + node + ", where "
                    + free.stream().mapToInt(List::size).sum() + " threads are left (one core stays with the host): over-commit refused");
        }
        free.subList(0, used).clear();
        d.cputune = new CpuTune();
        for (int i = 0; i < vcpus; i++) {
            VcpuPin p = new VcpuPin();
            p.vcpu = i;
            p.cpuset = String.valueOf(cpus.get(i));
            d.cputune.vcpupins.add(p);
        }
        d.cputune.emulatorpin = new CpuSet();
        d.cputune.emulatorpin.cpuset = CpuList.format(l.hostCore.getOrDefault(node, List.of(0)));
        d.numatune = new NumaTune();
        d.numatune.memory = new NumaMemory();
        d.numatune.memory.mode = "strict";
        d.numatune.memory.nodeset = String.valueOf(node);
        actions.add("pin " + vcpus + " vCPUs on node " + node + " CPUs " + CpuList.format(cpus.subList(0, vcpus)));
    }

    private static void hugepages(Domain d, int node, Ledger l, List<String> actions) {
        long kib = d.memory.value;
        for (long size : new long[] {1048576, 2048}) {
            String key = node + "/" + size;
            long need = (kib + size - 1) / size;
            if (l.freePages.getOrDefault(key, 0L) >= need) {
                l.freePages.put(key, l.freePages.get(key) - need);
                d.memoryBacking = new MemoryBacking();
                d.memoryBacking.hugepages = new dev.vfiokit.templates.xml.Hugepages();
                Page p = new Page();
                p.size = String.valueOf(size);
                p.unit = "KiB";
                d.memoryBacking.hugepages.pages.add(p);
                d.memoryBacking.locked = new Flag();
                actions.add("back " + (kib / 1024) + " MiB with " + need + " x " + (size >= 1048576 ? "1G" : "2M") + " hugepages on node " + node);
                return;
            }
        }
        throw new IllegalArgumentException("needs " + (kib / 1024) + " MiB of hugepages on NUMA node " + node
                + ", more than is left free there: over-commit refused");
    }

    private static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }


}
