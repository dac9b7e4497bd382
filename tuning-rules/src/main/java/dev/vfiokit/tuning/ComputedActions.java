package dev.vfiokit.tuning;

import dev.vfiokit.iommucheck.check.HostNeeds;
import dev.vfiokit.iommucheck.host.CpuList;
import dev.vfiokit.iommucheck.host.CpuThread;
import dev.vfiokit.iommucheck.host.Hugepages;
import dev.vfiokit.iommucheck.host.HostSnapshot;
import dev.vfiokit.iommucheck.host.NumaNode;
import dev.vfiokit.iommucheck.host.PciAddress;
import dev.vfiokit.iommucheck.host.PciDevice;
import dev.vfiokit.iommucheck.input.DomainXmlFacts;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/** The actions that need computing from host facts or the domain itself. Each returns what it changed. */
final class ComputedActions {
    private final Element domain;
    private final HostSnapshot host;
    /** CPUs other domains are pinned to and hugepages promised to them: never given to this guest. */
    private final NumaLedger others;
    private final List<String> changes = new ArrayList<>();

    ComputedActions(Element domain, HostSnapshot host, NumaLedger others) {
        this.domain = domain;
        this.host = host;
        this.others = others;
    }

    List<String> run(String name) {
        switch (name) {
            case "cpu-topology" -> cpuTopology();
            case "vcpu-pinning" -> vcpuPinning();
            case "hugepages" -> hugepages();
            case "serial-console" -> serialConsole();
            case "usb-none" -> usbNone();
            case "q35" -> q35();
            case "disk-iothread" -> diskIothread();
            case "net-multiqueue" -> netMultiqueue();
            case "nvidia-vendor-id" -> nvidiaVendorId();
            case "device-functions" -> deviceFunctions();
            case "hyperv-host" -> hypervHost();
            default -> throw new IllegalArgumentException("unknown computed action " + name);
        }
        return changes;
    }

    // ---- helpers that record a change only when something changes

    private void attr(Element e, String name, String value) {
        if (!Objects.equals(e.getAttribute(name), value) || !e.hasAttribute(name)) {
            e.setAttribute(name, value);
            changes.add("set " + name + "='" + value + "' on <" + e.getTagName() + ">");
        }
    }

    private Element ensure(Element parent, String tag) {
        Element c = DomXml.child(parent, tag);
        if (c == null) {
            c = DomXml.ensureChild(parent, tag);
            changes.add("added <" + tag + "> to <" + parent.getTagName() + ">");
        }
        return c;
    }

    private void remove(Element e) {
        changes.add("removed " + DomXml.brief(e));
        e.getParentNode().removeChild(e);
    }

    private Element devices() {
        return ensure(domain, "devices");
    }

    /** placement='auto' hands vCPUs and memory to numad: the admin's choice, which pinning would contradict. */
    private void requireNoAutoPlacement() {
        Element vcpu = DomXml.child(domain, "vcpu");
        Element numatune = DomXml.child(domain, "numatune");
        Element memory = numatune == null ? null : DomXml.child(numatune, "memory");
        if (vcpu != null && vcpu.getAttribute("placement").equals("auto")
                || memory != null && memory.getAttribute("placement").equals("auto")) {
            throw new CannotApply("placement='auto' leaves vCPUs and memory to numad: not pinned");
        }
    }

    int vcpus() {
        Element v = DomXml.child(domain, "vcpu");
        if (v == null) {
            return 1;
        }
        try {
            return Integer.parseInt(v.getTextContent().strip());
        } catch (NumberFormatException e) {
            throw new CannotApply("the domain's <vcpu> is not a number");
        }
    }

    long memoryKib() {
        Element m = DomXml.child(domain, "memory");
        if (m == null) {
            throw new CannotApply("the domain has no <memory>");
        }
        try {
            return dev.vfiokit.iommucheck.input.DomainXmlFacts.kib(m);
        } catch (IllegalArgumentException e) {
            throw new CannotApply(e.getMessage());
        }
    }

    private void requireHost(String what) {
        if (host == null || host.cpuThreads().isEmpty()) {
            throw new CannotApply("no host CPU topology to compute " + what + " from");
        }
    }

    /** The NUMA node of the passed devices (the first with a node), else the node with the most CPUs. */
    NumaNode guestNode() {
        requireHost("NUMA placement");
        for (PciDevice d : DomainFacts.placementDevices(domain, host)) {
            if (d.numaNode() >= 0 && host.numaNode(d.numaNode()).isPresent()) {
                return host.numaNode(d.numaNode()).get();
            }
        }
        // no device ties the guest to a node: the one with the most CPUs no other domain is pinned to
        return host.numaNodes().stream().max((a, b) -> Integer.compare(freeCpus(a), freeCpus(b)))
                .orElseThrow(() -> new CannotApply("the host reports no NUMA nodes"));
    }

    private int freeCpus(NumaNode n) {
        return (int) n.cpus().stream().filter(c -> !others.taken(c)).count();
    }

    /** A node's free pages of a size, less those promised to domains placed before this one. */
    private long free(NumaNode node, Hugepages h) {
        return h.free() - others.claimed(node.id(), h.sizeKb());
    }

    private int threadsPerCore() {
        return host == null || host.cpuThreads().isEmpty() ? 1 : host.cpuThreads().get(0).siblings().size();
    }

    // ---- the actions

    private void cpuTopology() {
        if (!domain.getAttribute("type").equals("kvm")) {
            throw new CannotApply("domain type " + domain.getAttribute("type") + " has no host CPU to pass through (KVM only)");
        }
        int vcpus = vcpus();
        Element cpu = ensure(domain, "cpu");
        attr(cpu, "mode", "host-passthrough");
        attr(cpu, "check", "none");
        attr(cpu, "migratable", "off");
        // the host's model and vendor are what the guest gets; libvirt refuses a vendor left without a model
        // ("CPU vendor specified without CPU model", virt-manager's xmlparse inputs)
        for (String named : List.of("model", "vendor")) {
            for (Element e : DomXml.children(cpu, named)) {
                remove(e);
            }
        }
        if (DomainFacts.isX86(domain)) {
            // libvirt's QEMU driver refuses <cpu><cache> on any other architecture ("CPU cache specification is not supported")
            Element cache = ensure(cpu, "cache");
            attr(cache, "mode", "passthrough");
            if (cache.hasAttribute("level")) {
                // a level belongs to mode='emulate'; libvirt refuses it beside passthrough
                cache.removeAttribute("level");
                changes.add("removed level from <cache>");
            }
        }
        int threads = threadsPerCore() >= 2 && vcpus % 2 == 0 ? 2 : 1;
        Element topo = ensure(cpu, "topology");
        attr(topo, "sockets", "1");
        attr(topo, "dies", "1");
        attr(topo, "cores", String.valueOf(vcpus / threads));
        attr(topo, "threads", String.valueOf(threads));
    }

    /** The cores one NUMA node gives a guest: its CPUs (in vCPU order), the core kept for the host, and what was said. */
    private record NodePick(NumaNode node, List<Integer> cpus, List<Integer> hostCore, String cache, String avoided) {
    }

    private NodePick pick(NumaNode node, int vcpus, boolean pairs) {
        // physical cores of the node, each as its sibling threads, in CPU order
        Map<String, List<Integer>> cores = new TreeMap<>();
        for (CpuThread t : host.cpuThreads()) {
            if (t.numaNode() == node.id()) {
                List<Integer> sib = t.siblings().stream().sorted().toList();
                cores.putIfAbsent(String.format("%08d", sib.get(0)), sib);
            }
        }
        List<List<Integer>> list = new ArrayList<>(cores.values());
        if (list.size() < 2) {
            throw new CannotApply("node " + node.id() + " has " + list.size() + " core(s): none left after keeping one for the host");
        }
        List<Integer> hostCore = list.remove(0);
        List<List<Integer>> held = list.stream().filter(core -> core.stream().anyMatch(others::taken)).toList();
        list.removeAll(held);
        String cache = "";
        List<List<Integer>> inCache = withinOneCache(list, pairs ? (vcpus + 1) / 2 : vcpus);
        if (inCache != null) {
            list = inCache;
            cache = "; within one L3 cache, CPUs " + CpuList.format(llcOf(list.get(0).get(0)));
        }
        List<Integer> cpus = new ArrayList<>();
        for (List<Integer> core : list) {
            if (pairs) {
                cpus.addAll(core);
            } else {
                cpus.add(core.get(0));
            }
        }
        String heldBy = held.isEmpty() ? "" : ", " + held.size() + " held by "
                + String.join(", ", others.cpus().holders(held.stream().flatMap(List::stream).toList()));
        if (cpus.size() < vcpus) {
            throw new CannotApply("node " + node.id() + " has " + list.size() + " free cores (" + cpus.size()
                    + " threads, one core kept for the host" + heldBy + "); the guest has " + vcpus + " vCPUs"
                    + (vcpus < vcpus() ? " there" : ""));
        }
        return new NodePick(node, cpus.subList(0, vcpus), hostCore, cache,
                held.isEmpty() ? "" : "; cores of " + heldBy.substring(heldBy.indexOf("held by ") + 8) + " avoided");
    }

    /** The NUMA nodes of the guest's devices, in the order the domain names them; one node when they share one. */
    private List<NumaNode> guestNodes() {
        List<NumaNode> out = new ArrayList<>();
        for (PciDevice d : DomainFacts.placementDevices(domain, host)) {
            host.numaNode(d.numaNode()).filter(n -> d.numaNode() >= 0 && out.stream().noneMatch(o -> o.id() == n.id())).ifPresent(out::add);
        }
        return out.size() > 1 ? out : List.of(guestNode());
    }

    private void vcpuPinning() {
        requireNoAutoPlacement();
        int vcpus = vcpus();
        List<NumaNode> nodes = guestNodes();
        int k = nodes.size();
        if (vcpus % k != 0) {
            throw new CannotApply(vcpus + " vCPUs do not split evenly over nodes " + nodes.stream().map(n -> String.valueOf(n.id())).toList()
                    + ", where its devices are: give it a multiple of " + k);
        }
        requireMemoryFits(nodes);
        // the guest sees sibling pairs only with an even count per node on an SMT host (cpu-topology's threads=2);
        // otherwise each vCPU is a core of its own, and gets a physical core of its own, not a sibling thread
        boolean pairs = threadsPerCore() >= 2 && (vcpus / k) % 2 == 0;
        List<NodePick> picks = new ArrayList<>();
        for (NumaNode n : nodes) {
            picks.add(pick(n, vcpus / k, pairs));
        }
        List<Integer> cpus = picks.stream().flatMap(p -> p.cpus().stream()).toList();
        Element vcpu = DomXml.child(domain, "vcpu");
        if (vcpu == null) {
            // no <vcpu> is one vCPU; libvirt's schema wants the count in the element
            vcpu = DomXml.ensureChild(domain, "vcpu");
            vcpu.setTextContent(String.valueOf(vcpus));
            changes.add("added <vcpu>" + vcpus + "</vcpu>");
        }
        attr(vcpu, "placement", "static");
        if (vcpu.hasAttribute("cpuset")) {
            vcpu.removeAttribute("cpuset");
            changes.add("removed cpuset from <vcpu>");
        }
        Element cputune = ensure(domain, "cputune");
        Map<String, String> want = new LinkedHashMap<>();
        for (int i = 0; i < vcpus; i++) {
            want.put(String.valueOf(i), String.valueOf(cpus.get(i)));
        }
        Map<String, String> have = new LinkedHashMap<>();
        DomXml.children(cputune, "vcpupin").forEach(p -> have.put(p.getAttribute("vcpu"), p.getAttribute("cpuset")));
        String hostSet = CpuList.format(picks.get(0).hostCore());
        if (!have.equals(want)) {
            DomXml.children(cputune, "vcpupin").forEach(cputune::removeChild);
            for (Map.Entry<String, String> e : want.entrySet()) {
                cputune.appendChild(DomXml.create(domain.getOwnerDocument(), "vcpupin", "vcpu", e.getKey(), "cpuset", e.getValue()));
            }
            for (NodePick p : picks) {
                changes.add("pinned " + p.cpus().size() + " vCPUs to node " + p.node().id() + " CPUs " + CpuList.format(p.cpus())
                        + " (sibling threads together" + p.cache() + "; core " + CpuList.format(p.hostCore()) + " left to the host"
                        + p.avoided() + ")");
            }
        }
        attr(ensure(cputune, "emulatorpin"), "cpuset", hostSet);
        for (int i : iothreadIds()) {
            String id = String.valueOf(i);
            Element pin = DomXml.children(cputune, "iothreadpin").stream().filter(p -> p.getAttribute("iothread").equals(id))
                    .findFirst().orElse(null);
            if (pin == null) {
                pin = DomXml.create(domain.getOwnerDocument(), "iothreadpin", "iothread", id);
                cputune.appendChild(pin);
                changes.add("added <iothreadpin iothread='" + id + "'>");
            }
            attr(pin, "cpuset", hostSet);
        }
        Element numatune = ensure(domain, "numatune");
        Element mem = ensure(numatune, "memory");
        attr(mem, "mode", "strict");
        attr(mem, "nodeset", String.join(",", nodes.stream().map(n -> String.valueOf(n.id())).toList()));
        if (k > 1) {
            spanNodes(nodes, vcpus, pairs, numatune);
        }
        Element cpu = DomXml.child(domain, "cpu");
        if (DomainFacts.isX86(domain) && domain.getAttribute("type").equals("kvm") && cpu != null
                && cpu.getAttribute("mode").equals("host-passthrough")) {
            // each vCPU has a CPU of its own: the guest may poll instead of halting and skip PV spinlocks
            // (libvirt takes the hint with host-passthrough only)
            attr(ensure(ensure(ensure(domain, "features"), "kvm"), "hint-dedicated"), "state", "on");
        }
    }

    /**
     * Pinning binds the guest's memory strictly to its nodes (an even share each): a share larger than a node's RAM
     * could never be allocated there (a guest with VFIO devices allocates and locks all of it at start). Judged only
     * where the host says its nodes' memory.
     */
    private void requireMemoryFits(List<NumaNode> nodes) {
        if (DomXml.child(domain, "memory") == null) {
            return;
        }
        long share = memoryKib() / nodes.size();
        for (NumaNode n : nodes) {
            if (n.memoryKib() > 0 && share > n.memoryKib()) {
                throw new CannotApply("the guest's memory (" + (nodes.size() > 1 ? "a share of " : "") + share / 1024
                        + " MiB) is more than node " + n.id() + " has (" + n.memoryKib() / 1024 + " MiB): bound strictly"
                        + " there it could never be allocated");
            }
        }
    }

    /**
     * A guest whose devices sit on several host nodes gets a guest NUMA cell per node (its vCPUs and an even share of
     * memory, bound there by memnode), a socket per cell, and each device behind a pcie-expander-bus of its node, so
     * that the guest's drivers see every device local to the CPUs and memory that are local to it on the host.
     */
    private void spanNodes(List<NumaNode> nodes, int vcpus, boolean pairs, Element numatune) {
        int k = nodes.size();
        long kib = memoryKib();
        long unit = kib % (k * 1048576L) == 0 ? 1048576L : 2048L;
        long share = kib / k / unit * unit;
        Element cpu = ensure(domain, "cpu");
        Element numa = ensure(cpu, "numa");
        int per = vcpus / k;
        for (int i = 0; i < k; i++) {
            String id = String.valueOf(i);
            Element cell = DomXml.children(numa, "cell").stream().filter(c -> c.getAttribute("id").equals(id)).findFirst().orElse(null);
            if (cell == null) {
                cell = DomXml.create(domain.getOwnerDocument(), "cell", "id", id);
                numa.appendChild(cell);
            }
            attr(cell, "cpus", per == 1 ? String.valueOf(i) : (i * per) + "-" + (i * per + per - 1));
            attr(cell, "memory", String.valueOf(i == k - 1 ? kib - share * (k - 1) : share));
            attr(cell, "unit", "KiB");
            Element memnode = DomXml.children(numatune, "memnode").stream().filter(m -> m.getAttribute("cellid").equals(id)).findFirst().orElse(null);
            if (memnode == null) {
                memnode = DomXml.create(domain.getOwnerDocument(), "memnode", "cellid", id);
                numatune.appendChild(memnode);
            }
            attr(memnode, "mode", "strict");
            attr(memnode, "nodeset", String.valueOf(nodes.get(i).id()));
        }
        Element topo = DomXml.child(cpu, "topology");
        if (topo != null) {
            int threads = pairs ? 2 : 1;
            attr(topo, "sockets", String.valueOf(k));
            attr(topo, "cores", String.valueOf(per / threads));
            attr(topo, "threads", String.valueOf(threads));
        }
        expanderBuses(nodes);
    }

    /** Each guest slot of a passed device moves to a root port behind a pcie-expander-bus that carries its node's cell. */
    private void expanderBuses(List<NumaNode> nodes) {
        Element devices = devices();
        if (!"q35".equals(machineFamily())) {
            return;
        }
        Map<Integer, Integer> pxbOfCell = new TreeMap<>();
        Map<String, Integer> portOfSlot = new LinkedHashMap<>();
        for (Element c : DomXml.children(devices, "controller")) {
            if (c.getAttribute("model").equals("pcie-expander-bus")) {
                Element target = DomXml.child(c, "target");
                Element node = target == null ? null : DomXml.child(target, "node");
                if (node != null) {
                    pxbOfCell.put(Integer.parseInt(node.getTextContent().strip()), Integer.parseInt(c.getAttribute("index")));
                }
            }
        }
        for (Element hostdev : DomXml.children(devices, "hostdev")) {
            PciAddress a = DomainXmlFacts.sourceAddress(hostdev);
            PciDevice d = a == null ? null : host.device(a).orElse(null);
            Element guest = DomXml.child(hostdev, "address");
            if (d == null || guest == null || !"pci".equals(guest.getAttribute("type"))) {
                continue;
            }
            int cell = -1;
            for (int i = 0; i < nodes.size(); i++) {
                if (nodes.get(i).id() == d.numaNode()) {
                    cell = i;
                }
            }
            if (cell < 0) {
                continue;
            }
            Integer pxb = pxbOfCell.get(cell);
            if (pxb == null) {
                pxb = nextControllerIndex();
                Element c = DomXml.create(domain.getOwnerDocument(), "controller", "type", "pci", "index", String.valueOf(pxb), "model", "pcie-expander-bus");
                Element target = domain.getOwnerDocument().createElement("target");
                Element node = domain.getOwnerDocument().createElement("node");
                node.setTextContent(String.valueOf(cell));
                target.appendChild(node);
                c.appendChild(target);
                devices.appendChild(c);
                pxbOfCell.put(cell, pxb);
                changes.add("added a pcie-expander-bus (index " + pxb + ") for guest NUMA cell " + cell + " (host node " + nodes.get(cell).id() + ")");
            }
            String slot = a.domain() + ":" + a.bus() + ":" + a.slot();
            Integer current = controllerBehind(guest.getAttribute("bus"), pxb);
            if (current != null) {
                portOfSlot.putIfAbsent(slot, current);
            }
            Integer port = portOfSlot.get(slot);
            if (port == null) {
                port = nextControllerIndex();
                Element rp = DomXml.create(domain.getOwnerDocument(), "controller", "type", "pci", "index", String.valueOf(port), "model", "pcie-root-port");
                rp.appendChild(DomXml.create(domain.getOwnerDocument(), "address", "type", "pci", "domain", "0x0000",
                        "bus", String.format("0x%02x", pxb), "slot", String.format("0x%02x", portsOn(pxb)), "function", "0x0"));
                devices.appendChild(rp);
                portOfSlot.put(slot, port);
            }
            if (!guest.getAttribute("bus").equals(String.format("0x%02x", port))) {
                attr(guest, "bus", String.format("0x%02x", port));
                attr(guest, "slot", "0x00");
                changes.add("moved " + a + " behind the expander bus of guest NUMA cell " + cell);
            }
        }
    }

    /** The index of the root port at that guest bus when it sits on this expander bus already (tuned before), else null. */
    private Integer controllerBehind(String guestBus, int pxb) {
        int bus;
        try {
            bus = Integer.decode(guestBus.strip());
        } catch (NumberFormatException e) {
            return null;
        }
        for (Element c : DomXml.children(devices(), "controller")) {
            PciAddress at = DomXml.child(c, "address") == null ? null : DomainXmlFacts.pciAddress(DomXml.child(c, "address"));
            if (c.getAttribute("model").equals("pcie-root-port") && c.getAttribute("index").equals(String.valueOf(bus))
                    && at != null && at.bus() == pxb) {
                return bus;
            }
        }
        return null;
    }

    /** How many root ports sit on this bus already: the next one takes the next slot. */
    private int portsOn(int bus) {
        int n = 0;
        for (Element c : DomXml.children(devices(), "controller")) {
            PciAddress at = DomXml.child(c, "address") == null ? null : DomainXmlFacts.pciAddress(DomXml.child(c, "address"));
            if (c.getAttribute("model").equals("pcie-root-port") && at != null && at.bus() == bus) {
                n++;
            }
        }
        return n;
    }

    private int nextControllerIndex() {
        int max = 0;
        for (Element c : DomXml.children(devices(), "controller")) {
            if (c.getAttribute("type").equals("pci") && !c.getAttribute("index").isEmpty()) {
                max = Math.max(max, Integer.parseInt(c.getAttribute("index").strip()));
            }
        }
        return max + 1;
    }

    private String machineFamily() {
        Element os = DomXml.child(domain, "os");
        Element type = os == null ? null : DomXml.child(os, "type");
        String m = type == null ? "" : type.getAttribute("machine");
        return m.contains("q35") ? "q35" : m;
    }

    /** The CPUs sharing this CPU's last-level cache, or empty when the host does not say. */
    private List<Integer> llcOf(int cpu) {
        return host.cpuThreads().stream().filter(t -> t.cpu() == cpu).findFirst().map(CpuThread::llcSiblings).orElse(List.of());
    }

    /**
     * The free cores of one last-level cache (an AMD CCX) that hold the guest, the smallest such group so that larger
     * ones stay whole for larger guests; null when the host gives no cache topology or no one cache is big enough
     * (then the guest spans caches in CPU order, as before).
     */
    private List<List<Integer>> withinOneCache(List<List<Integer>> cores, int needed) {
        Map<String, List<List<Integer>>> byCache = new TreeMap<>();
        for (List<Integer> core : cores) {
            List<Integer> llc = llcOf(core.get(0));
            if (llc.isEmpty()) {
                return null;
            }
            byCache.computeIfAbsent(String.format("%08d", llc.stream().min(Integer::compare).orElse(0)), k -> new ArrayList<>()).add(core);
        }
        if (byCache.size() < 2) {
            return null;
        }
        return byCache.values().stream().filter(g -> g.size() >= needed).min((x, y) -> Integer.compare(x.size(), y.size()))
                .map(g -> (List<List<Integer>>) new ArrayList<>(g)).orElse(null);
    }

    private void hugepages() {
        long kib = memoryKib();
        Element backing = DomXml.child(domain, "memoryBacking");
        Element pages = backing == null ? null : DomXml.child(backing, "hugepages");
        NumaNode node = guestNode();
        Hugepages chosen = null;
        for (long size : new long[] {1048576, 2048}) {
            // QEMU refuses guest memory smaller than its page ("memory size 0x10000000 must be equal to or larger than
            // page size 0x40000000") and rounds other sizes up to whole pages: 1G pages back whole GiB only
            if (size == 1048576 ? kib % size != 0 : kib < size) {
                continue;
            }
            for (Hugepages h : node.hugepages()) {
                if (h.sizeKb() == size && free(node, h) * h.sizeKb() >= kib && chosen == null) {
                    chosen = h;
                }
            }
        }
        Element allocation = backing == null ? null : DomXml.child(backing, "allocation");
        if (allocation != null && allocation.getAttribute("mode").equals("ondemand")) {
            throw new CannotApply("memory is allocated on demand (<allocation mode='ondemand'>), and hugepages are "
                    + "allocated up front: remove the allocation element to back this guest with hugepages");
        }
        if (pages != null && chosen == null) {
            // configured already (a template's, or the admin's): the guest does not start without the pages
            long have = configuredPageKib(pages);
            if (have > kib) {
                throw new CannotApply("the domain's " + (have / 1024) + " MiB hugepages cannot back its " + (kib / 1024)
                        + " MiB: QEMU refuses guest memory smaller than its page; give it whole pages of memory or 2M pages");
            }
            Hugepages h = node.hugepages().stream().filter(x -> x.sizeKb() == have).findFirst().orElse(null);
            if (h != null && free(node, h) * h.sizeKb() >= kib) {
                ensure(backing, "locked");
                return;
            }
        }
        if (chosen == null) {
            StringBuilder free = new StringBuilder();
            node.hugepages().forEach(h -> free.append(free.length() == 0 ? "" : ", ").append(free(node, h)).append(" x ").append(h.sizeLabel()));
            long promised = node.hugepages().stream().mapToLong(h -> others.claimed(node.id(), h.sizeKb())).sum();
            throw new CannotApply("node " + node.id() + " has not enough free hugepages for " + (kib / 1024) + " MiB ("
                    + (free.length() == 0 ? "none" : free) + " free" + (promised > 0 ? ", " + promised + " more promised to domains placed before this one" : "")
                    + "); reserve them first: echo " + ((kib + 2047) / 2048)
                    + " > /sys/devices/system/node/node" + node.id() + "/hugepages/hugepages-2048kB/nr_hugepages (2 MiB pages, now; "
                    + "add what is free already)" + (kib % 1048576 == 0 ? ", or 1 GiB pages at boot (hugepagesz=1G hugepages=" + kib / 1048576
                    + " on the kernel command line)" : ""));
        }
        backing = ensure(domain, "memoryBacking");
        pages = ensure(backing, "hugepages");
        List<Element> existing = DomXml.children(pages, "page");
        String size = String.valueOf(chosen.sizeKb());
        boolean same = existing.size() == 1 && existing.get(0).getAttribute("size").equals(size)
                && existing.get(0).getAttribute("unit").equals("KiB");
        if (!same) {
            existing.forEach(pages::removeChild);
            Element p = domain.getOwnerDocument().createElement("page");
            p.setAttribute("size", size);
            p.setAttribute("unit", "KiB");
            pages.appendChild(p);
            changes.add("backed memory with " + chosen.sizeLabel() + " hugepages from node " + node.id());
        }
        ensure(backing, "locked");
    }

    /** The size of the first configured {@code <page>} in KiB; 2048 (the host default) when none is given. */
    static long configuredPageKib(Element hugepages) {
        Element page = DomXml.child(hugepages, "page");
        if (page == null || page.getAttribute("size").isEmpty()) {
            return 2048;
        }
        long size = Long.parseLong(page.getAttribute("size").strip());
        return switch (page.getAttribute("unit").isEmpty() ? "KiB" : page.getAttribute("unit")) {
            case "b", "bytes" -> size / 1024;
            case "M", "MiB" -> size * 1024;
            case "G", "GiB" -> size * 1024 * 1024;
            case "MB" -> size * 1000 * 1000 / 1024;
            case "GB" -> size * 1000 * 1000 * 1000 / 1024;
            default -> size;
        };
    }

    /**
     * The functions of a passed device that the domain leaves behind (a GPU's HDMI audio, USB-C, UCSI) join it, in
     * the same guest slot with the same function numbers: a function left on a host driver makes the IOMMU group
     * not viable, and the guest does not start.
     */
    private void deviceFunctions() {
        if (host == null) {
            throw new CannotApply("no host facts to find the other functions of the passed devices");
        }
        Element devices = devices();
        Set<PciAddress> passed = new java.util.HashSet<>(DomainXmlFacts.passedPciAddresses(domain));
        for (Element hostdev : DomXml.children(devices, "hostdev")) {
            PciAddress a = DomainXmlFacts.sourceAddress(hostdev);
            PciDevice gpu = a == null ? null : host.device(a).orElse(null);
            // a GPU's other functions are the card's; a NIC's or controller's other functions may be the host's own
            if (gpu == null || !gpu.isGpu() || a.function() != 0) {
                continue;
            }
            List<PciDevice> missing = host.siblings(gpu).stream()
                    .filter(s -> !s.isBridge() && !s.isVirtualFunction() && !passed.contains(s.address()))
                    .sorted((x, y) -> x.address().compareTo(y.address())).toList();
            HostNeeds needs = new HostNeeds(host);
            for (PciDevice s : missing) {
                needs.of(s).filter(n -> n.kind() != HostNeeds.Kind.HELD).ifPresent(n -> {
                    throw new CannotApply(s.address() + ", a function of the GPU " + a + ", " + n.why()
                            + ": the host needs it, so it is not added (and the GPU's group cannot go to a guest)");
                });
            }
            Element guest = DomXml.child(hostdev, "address");
            boolean slotted = guest != null && "pci".equals(guest.getAttribute("type")) && DomainXmlFacts.pciAddress(guest) != null;
            Node after = hostdev;
            for (PciDevice s : missing) {
                Element h = DomXml.create(domain.getOwnerDocument(), "hostdev", "mode", "subsystem", "type", "pci",
                        "managed", hostdev.getAttribute("managed").isEmpty() ? "yes" : hostdev.getAttribute("managed"));
                Element src = domain.getOwnerDocument().createElement("source");
                src.appendChild(pciAddress(s.address(), null));
                h.appendChild(src);
                if (slotted) {
                    Element ga = pciAddress(DomainXmlFacts.pciAddress(guest).withFunction(s.address().function()), "pci");
                    h.appendChild(ga);
                }
                devices.insertBefore(h, after.getNextSibling());
                after = h;
                passed.add(s.address());
                changes.add("added " + s.address() + " (" + s.classWord() + "): the functions of " + slotOf(a)
                        + " go to one guest together" + (slotted ? ", in its guest slot" : ""));
            }
            if (slotted && !missing.isEmpty()) {
                attr(guest, "multifunction", "on");
            }
        }
    }

    /**
     * Hyper-V hints that depend on the host CPU: with AMD's AVIC (the cpuinfo flag), hv-avic tells Windows not to use
     * SynIC AutoEOI, which would keep AVIC from accelerating its interrupts. (Intel's evmcs is left out: QEMU refuses
     * to start without nested KVM's enlightened VMCS, and it helps only Hyper-V/VBS inside the guest.)
     */
    private void hypervHost() {
        if (host == null || host.cpu() == null || !host.cpu().flags().contains("avic")) {
            return;
        }
        attr(ensure(ensure(ensure(domain, "features"), "hyperv"), "avic"), "state", "on");
    }

    private Element pciAddress(PciAddress a, String type) {
        String[] where = {"domain", String.format("0x%04x", a.domain()), "bus", String.format("0x%02x", a.bus()),
                "slot", String.format("0x%02x", a.slot()), "function", String.format("0x%x", a.function())};
        if (type == null) {
            return DomXml.create(domain.getOwnerDocument(), "address", where);
        }
        String[] typed = new String[where.length + 2];
        typed[0] = "type";
        typed[1] = type;
        System.arraycopy(where, 0, typed, 2, where.length);
        return DomXml.create(domain.getOwnerDocument(), "address", typed);
    }

    private static String slotOf(PciAddress a) {
        String s = a.toString();
        return s.substring(0, s.length() - 2);
    }

    private void serialConsole() {
        Element devices = devices();
        if (DomXml.children(devices, "serial").isEmpty()) {
            Element s = domain.getOwnerDocument().createElement("serial");
            s.setAttribute("type", "pty");
            Element t = domain.getOwnerDocument().createElement("target");
            t.setAttribute("port", "0");
            s.appendChild(t);
            devices.appendChild(s);
            changes.add("added a pty serial port");
        }
        if (DomXml.children(devices, "console").isEmpty()) {
            Element c = domain.getOwnerDocument().createElement("console");
            c.setAttribute("type", "pty");
            Element t = domain.getOwnerDocument().createElement("target");
            t.setAttribute("type", "serial");
            t.setAttribute("port", "0");
            c.appendChild(t);
            devices.appendChild(c);
            changes.add("added a serial console");
        }
    }

    private void usbNone() {
        Element devices = devices();
        List<String> users = new ArrayList<>();
        DomXml.children(devices, "input").stream().filter(i -> i.getAttribute("bus").equals("usb")).forEach(i -> users.add(DomXml.brief(i)));
        DomXml.children(devices, "redirdev").forEach(r -> users.add(DomXml.brief(r)));
        DomXml.children(devices, "hostdev").stream().filter(h -> h.getAttribute("type").equals("usb")).forEach(h -> users.add(DomXml.brief(h)));
        DomXml.children(devices, "disk").stream().filter(d -> {
            Element t = DomXml.child(d, "target");
            return t != null && t.getAttribute("bus").equals("usb");
        }).forEach(d -> users.add(DomXml.brief(d)));
        // a smartcard is a USB CCID device; hubs and anything on a USB address need the controller too
        DomXml.children(devices, "smartcard").forEach(c -> users.add(DomXml.brief(c)));
        DomXml.children(devices, "hub").forEach(h -> users.add(DomXml.brief(h)));
        DomXml.children(devices, "controller").stream().filter(c -> c.getAttribute("type").equals("ccid")).forEach(c -> users.add(DomXml.brief(c)));
        // a serial port of target type usb-serial is a USB device (libvirt's mach-virt-serial-usb: an aarch64 guest's console)
        for (String tag : List.of("serial", "console")) {
            DomXml.children(devices, tag).stream().filter(c -> {
                Element t = DomXml.child(c, "target");
                return t != null && t.getAttribute("type").equals("usb-serial");
            }).forEach(c -> users.add(DomXml.brief(c)));
        }
        for (Element device : DomXml.children(devices, null)) {
            Element address = DomXml.child(device, "address");
            if (address != null && address.getAttribute("type").equals("usb") && !users.contains(DomXml.brief(device))) {
                users.add(DomXml.brief(device));
            }
        }
        if (!users.isEmpty()) {
            throw new CannotApply("USB devices remain: " + String.join(", ", users));
        }
        List<Element> usb = DomXml.children(devices, "controller").stream().filter(c -> c.getAttribute("type").equals("usb")).toList();
        if (usb.size() == 1 && usb.get(0).getAttribute("model").equals("none")) {
            return;
        }
        usb.forEach(this::remove);
        Element none = domain.getOwnerDocument().createElement("controller");
        none.setAttribute("type", "usb");
        none.setAttribute("model", "none");
        devices.appendChild(none);
        changes.add("added <controller type='usb' model='none'> (no USB device needs one)");
    }

    private void q35() {
        Element os = ensure(domain, "os");
        Element type = ensure(os, "type");
        String machine = type.getAttribute("machine");
        if (!machine.startsWith("pc")) {
            return;
        }
        attr(type, "machine", "q35");
        // i440fx addresses and controllers do not fit q35: libvirt lays the q35 topology out again
        for (Element e : descendants(domain, "address")) {
            if (e.getAttribute("type").equals("pci") && !isHostSide(e)) {
                remove(e);
            }
            if (e.getAttribute("type").equals("drive") && e.getParentNode() != null) {
                remove(e);
            }
        }
        Element devices = devices();
        for (Element c : DomXml.children(devices, "controller")) {
            if (c.getAttribute("type").equals("pci") || c.getAttribute("type").equals("ide")) {
                remove(c);
            }
        }
        for (Element d : DomXml.children(devices, "disk")) {
            Element t = DomXml.child(d, "target");
            // no bus on an hdX target is IDE too (libvirt infers it from the name)
            boolean ide = t != null && (t.getAttribute("bus").equals("ide") || t.getAttribute("bus").isEmpty() && t.getAttribute("dev").startsWith("hd"));
            if (!ide) {
                continue;
            }
            if (DomXml.child(d, "wwn") != null) {
                throw new CannotApply("the IDE disk " + t.getAttribute("dev") + " has a <wwn>, which SATA disks cannot carry: "
                        + "move it to a SCSI bus (or drop the wwn) yourself, then tune again");
            }
            attr(t, "bus", "sata");
            Element geometry = DomXml.child(d, "geometry");
            if (geometry != null && geometry.hasAttribute("trans")) {
                // a CHS translation mode is IDE's alone
                geometry.removeAttribute("trans");
                changes.add("removed trans from the <geometry> of " + t.getAttribute("dev"));
            }
        }
    }

    private static boolean isHostSide(Element address) {
        return address.getParentNode() instanceof Element p && p.getTagName().equals("source");
    }

    private static List<Element> descendants(Element e, String tag) {
        List<Element> out = new ArrayList<>();
        var list = e.getElementsByTagName(tag);
        for (int i = 0; i < list.getLength(); i++) {
            out.add((Element) list.item(i));
        }
        return out;
    }

    /**
     * The I/O thread ids the domain has, as libvirt numbers them: those {@code <iothreadids>} names, then the lowest
     * unused ids up to the {@code <iothreads>} count.
     */
    private List<Integer> iothreadIds() {
        Element iothreads = DomXml.child(domain, "iothreads");
        int n;
        try {
            n = iothreads == null ? 0 : Integer.parseInt(iothreads.getTextContent().strip());
        } catch (NumberFormatException e) {
            n = 0;
        }
        java.util.TreeSet<Integer> ids = new java.util.TreeSet<>();
        Element given = DomXml.child(domain, "iothreadids");
        if (given != null) {
            for (Element t : DomXml.children(given, "iothread")) {
                try {
                    ids.add(Integer.parseInt(t.getAttribute("id").strip()));
                } catch (NumberFormatException e) {
                    // libvirt refuses such an id; nothing to pin
                }
            }
        }
        for (int next = 1; ids.size() < n; next++) {
            ids.add(next);
        }
        return new ArrayList<>(ids);
    }

    private void diskIothread() {
        // a vhost-user disk is served by another process: QEMU's cache and I/O modes and iothreads do not apply
        List<Element> disks = DomXml.children(devices(), "disk").stream().filter(d -> {
            Element t = DomXml.child(d, "target");
            return t != null && t.getAttribute("bus").equals("virtio") && !d.getAttribute("device").equals("cdrom")
                    && !d.getAttribute("type").equals("vhostuser");
        }).toList();
        if (disks.isEmpty()) {
            return;
        }
        Element iothreads = DomXml.child(domain, "iothreads");
        if (iothreads == null) {
            iothreads = domain.getOwnerDocument().createElement("iothreads");
            iothreads.setTextContent("1");
            DomXml.addChild(domain, iothreads);
            changes.add("added <iothreads>1</iothreads>");
        } else if (iothreadIds().isEmpty()) {
            iothreads.setTextContent("1");
            changes.add("set <iothreads>1</iothreads>");
        }
        String first = String.valueOf(iothreadIds().get(0));
        for (Element d : disks) {
            Element drv = ensure(d, "driver");
            if (!drv.hasAttribute("name")) {
                attr(drv, "name", "qemu");
            }
            if (!drv.hasAttribute("iothread")) {
                attr(drv, "iothread", first);
            }
            attr(drv, "cache", "none");
            attr(drv, "io", "native");
        }
    }

    private static final java.util.Set<String> VHOST_TYPES = java.util.Set.of("network", "bridge", "direct", "ethernet");

    private void netMultiqueue() {
        int vcpus = vcpus();
        if (vcpus < 2) {
            return;
        }
        String queues = String.valueOf(Math.min(vcpus, 16));
        for (Element i : DomXml.children(devices(), "interface")) {
            Element model = DomXml.child(i, "model");
            // vhost queues exist for tap-backed interfaces only: user (SLIRP/passt), vhostuser and hostdev have none
            if (model != null && model.getAttribute("type").equals("virtio") && VHOST_TYPES.contains(i.getAttribute("type"))) {
                Element drv = ensure(i, "driver");
                if (!drv.hasAttribute("name")) {
                    attr(drv, "name", "vhost");
                }
                attr(drv, "queues", queues);
            }
        }
    }

    private void nvidiaVendorId() {
        Element features = ensure(domain, "features");
        attr(ensure(ensure(features, "kvm"), "hidden"), "state", "on");
        Element hyperv = DomXml.child(features, "hyperv");
        if (hyperv == null) {
            hyperv = ensure(features, "hyperv");
            attr(hyperv, "mode", "custom");
        }
        Element vendor = ensure(hyperv, "vendor_id");
        attr(vendor, "state", "on");
        if (vendor.getAttribute("value").isEmpty()) {
            attr(vendor, "value", "vfiokitvid");
        }
    }
}
