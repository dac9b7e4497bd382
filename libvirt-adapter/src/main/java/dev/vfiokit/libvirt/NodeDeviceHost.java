package dev.vfiokit.libvirt;

import dev.vfiokit.iommucheck.host.CpuInfo;
import dev.vfiokit.iommucheck.host.CpuThread;
import dev.vfiokit.iommucheck.host.EarlyBinding;
import dev.vfiokit.iommucheck.host.FactSource;
import dev.vfiokit.iommucheck.host.HostSnapshot;
import dev.vfiokit.iommucheck.host.IommuGroup;
import dev.vfiokit.iommucheck.host.InterruptRemapping;
import dev.vfiokit.iommucheck.host.MdevParent;
import dev.vfiokit.iommucheck.host.MdevType;
import dev.vfiokit.iommucheck.host.MediatedDevice;
import dev.vfiokit.iommucheck.host.NumaNode;
import dev.vfiokit.iommucheck.host.PciAddress;
import dev.vfiokit.iommucheck.host.PciDevice;
import dev.vfiokit.iommucheck.host.PcieLink;
import dev.vfiokit.iommucheck.host.CpuList;
import dev.vfiokit.iommucheck.host.Sriov;
import dev.vfiokit.iommucheck.input.DomainXmlFacts;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * A host as libvirt describes it: PCI node devices (ids, class, driver, IOMMU group, NUMA node, SR-IOV,
 * link, mdev types), its mediated devices and the capabilities' NUMA topology, in the same {@link HostSnapshot} model as a sysfs read, so that
 * check, groups and generate work on a remote host through libvirt alone.
 */
public final class NodeDeviceHost {
    private NodeDeviceHost() {
    }

    public static HostSnapshot read(LibvirtConnection conn) {
        List<String> xmls = new ArrayList<>(conn.pciDeviceXmls());
        xmls.addAll(conn.mdevXmls());
        return fromXml(conn.uri(), xmls, conn.capabilities());
    }

    /** The host that node device XMLs (PCI and mdev devices; others are skipped) and capabilities XML as libvirt writes them describe. */
    public static HostSnapshot fromXml(String uri, List<String> deviceXmls, String capabilitiesXml) {
        List<PciDevice> devices = new ArrayList<>();
        Map<Integer, Set<PciAddress>> groups = new TreeMap<>();
        List<MdevParent> parents = new ArrayList<>();
        // libvirt's device name to its address: an mdev names its parent so, and a name need not spell the address
        Map<String, PciAddress> byName = new java.util.HashMap<>();
        Map<PciAddress, String> named = new java.util.HashMap<>();
        List<Element> mdevs = new ArrayList<>();
        for (String xml : deviceXmls) {
            Element root = parse(xml);
            String name = text(root, "name", "(unnamed)");
            if (childCapability(root, "mdev") != null) {
                mdevs.add(root);
                continue;
            }
            Element pci = childCapability(root, "pci");
            if (pci == null) {
                continue;
            }
            PciDevice d;
            try {
                d = read(root, pci, groups);
            } catch (IllegalArgumentException e) {
                // a number that does not parse, an address out of PCI's range (libvirt's nodedevschemadata has bus 4294967295)
                throw new LibvirtFailure("libvirt described node device " + name + " with a value vfiokit cannot read: "
                        + e.getMessage(), -1);
            }
            String before = named.putIfAbsent(d.address(), name);
            if (before != null) {
                // sysfs cannot hold two functions at one address; which of the two is the device is not for vfiokit to guess
                // named in sorted order: libvirt lists devices in an order of its own
                List<String> both = java.util.stream.Stream.of(before, name).sorted().toList();
                throw new LibvirtFailure("libvirt listed two node devices at " + d.address() + " (" + both.get(0) + " and " + both.get(1) + ")", -1);
            }
            byName.put(name, d.address());
            devices.add(d);
            if (!d.mdevTypes().isEmpty()) {
                Element path = child(root, "path");
                parents.add(new MdevParent(d.address().toString(), d.address(), path == null ? null : path.getTextContent().strip(), d.mdevTypes()));
            }
        }
        List<MediatedDevice> made = new ArrayList<>();
        for (Element m : mdevs) {
            try {
                made.add(mdev(m, byName));
            } catch (IllegalArgumentException e) {
                throw new LibvirtFailure("libvirt described node device " + text(m, "name", "(unnamed)") + " with a value vfiokit cannot read: "
                        + e.getMessage(), -1);
            }
        }
        return host(uri, devices, groups, parents, made, capabilitiesXml);
    }

    /**
     * A mediated device: its UUID (libvirt 7.3+ writes {@code <uuid>}; older ones only the name, mdev_UUID with
     * underscores, or dashes as libvirt's own tests have it), its type, group, and its parent as sysfs names it (the PCI address for a PCI parent).
     */
    private static MediatedDevice mdev(Element root, Map<String, PciAddress> byName) {
        Element cap = childCapability(root, "mdev");
        String name = text(root, "name", "");
        String uuid = text(cap, "uuid", "");
        if (uuid.isEmpty()) {
            java.util.regex.Matcher u = MDEV_NAME.matcher(name);
            if (!u.lookingAt()) {
                // a domain's <address uuid> needs one: an mdev without it cannot be handed to a guest
                throw new IllegalArgumentException("an mdev with neither <uuid> nor a UUID in its name");
            }
            uuid = u.group(1).replace('_', '-');
        }
        String parentName = text(root, "parent", "");
        PciAddress parent = byName.get(parentName);
        java.util.regex.Matcher p = PCI_NAME.matcher(parentName);
        if (parent == null && p.matches()) {
            parent = new PciAddress(Integer.parseInt(p.group(1), 16), Integer.parseInt(p.group(2), 16), Integer.parseInt(p.group(3), 16),
                    Integer.parseInt(p.group(4), 16));
        }
        // libvirt 7.x+ writes the parent's own sysfs name (<parent_addr>, from mdevctl): it says it best
        String parentAddr = text(cap, "parent_addr", "");
        String parentSays = !parentAddr.isEmpty() ? parentAddr : parent != null ? parent.toString() : parentName;
        Element type = child(cap, "type");
        Element group = child(cap, "iommuGroup");
        return new MediatedDevice(uuid, parentSays, type == null ? "?" : type.getAttribute("id"), group == null ? null : intAttr(group, "number"));
    }

    private static final java.util.regex.Pattern MDEV_NAME = java.util.regex.Pattern.compile(
            "mdev_(\\p{XDigit}{8}[_-]\\p{XDigit}{4}[_-]\\p{XDigit}{4}[_-]\\p{XDigit}{4}[_-]\\p{XDigit}{12})");
    private static final java.util.regex.Pattern PCI_NAME = java.util.regex.Pattern.compile(
            "pci_(\\p{XDigit}{4})_(\\p{XDigit}{2})_([01]\\p{XDigit})_([0-7])");

    /** One PCI node device, its address put into its IOMMU group in {@code groups}. */
    private static PciDevice read(Element root, Element pci, Map<Integer, Set<PciAddress>> groups) {
        PciAddress a = new PciAddress(intText(pci, "domain"), intText(pci, "bus"), intText(pci, "slot"), intText(pci, "function"));
        Element group = child(pci, "iommuGroup");
        Integer groupId = group == null ? null : intAttr(group, "number");
        if (groupId != null) {
            // the group as libvirt lists it (the kernel's iommu_groups/N/devices), so a member missing from the device list still counts
            Set<PciAddress> members = groups.computeIfAbsent(groupId, k -> new java.util.TreeSet<>());
            members.add(a);
            members.addAll(addresses(group));
        }
        Element driver = child(root, "driver");
        Element numa = child(pci, "numa");
        Element vfCap = childCapability(pci, "virt_functions");
        Element pfCap = childCapability(pci, "phys_function");
        List<PciAddress> vfs = vfCap == null ? List.of() : addresses(vfCap);
        // libvirt before 1.3 wrote no maxCount, only the enabled VFs: the device supports at least those
        Sriov sriov = vfCap == null ? null : new Sriov(vfCap.getAttribute("maxCount").isEmpty() ? vfs.size()
                : intAttr(vfCap, "maxCount"), vfs.size(), vfs, null);
        List<PciAddress> pf = pfCap == null ? List.of() : addresses(pfCap);
        return new PciDevice(a, idAttr(pci, "vendor"), idAttr(pci, "product"), 0, 0,
                intText(pci, "class"), driver == null ? null : text(driver, "name", null), null,
                groupId, numa == null ? -1 : intAttr(numa, "node"), false, sriov,
                pf.isEmpty() ? null : pf.get(0), link(pci), List.of(), false, false,
                List.of(), mdevTypes(pci), List.of(), null);
    }

    /** The mdev types a PCI device offers ({@code <capability type='mdev_types'>}); libvirt gives no description. */
    private static List<MdevType> mdevTypes(Element pci) {
        Element cap = childCapability(pci, "mdev_types");
        List<MdevType> out = new ArrayList<>();
        if (cap == null) {
            return out;
        }
        for (Element t : descendants(cap, "type")) {
            String id = t.getAttribute("id");
            out.add(new MdevType(id, text(t, "name", id), "", text(t, "deviceAPI", ""), intText(t, "availableInstances")));
        }
        return out;
    }

    private static HostSnapshot host(String uri, List<PciDevice> devices, Map<Integer, Set<PciAddress>> groups, List<MdevParent> parents,
                                     List<MediatedDevice> mdevs, String capabilitiesXml) {
        devices.sort((x, y) -> x.address().compareTo(y.address()));
        List<IommuGroup> groupList = groups.entrySet().stream()
                .map(e -> new IommuGroup(e.getKey(), e.getValue().stream().sorted().toList())).toList();
        List<NumaNode> nodes = new ArrayList<>();
        List<CpuThread> threads = new ArrayList<>();
        topology(parse(capabilitiesXml), nodes, threads);
        return new HostSnapshot("libvirt:" + uri, FactSource.LIBVIRT, "unknown", "",
                new CpuInfo("unknown", "unknown", Set.of(), threads.size()), false, Set.of(), List.of(),
                InterruptRemapping.UNKNOWN, Map.of(), Set.of(),
                EarlyBinding.NONE, nodes, threads, devices, groupList, parents, mdevs, List.of(), null,
                Map.of(), dev.vfiokit.iommucheck.host.DeviceNodeUsers.NONE,
                dev.vfiokit.iommucheck.host.MigInstances.NONE, null, null, null); // libvirt does not say what the host has mounted, nor which processes hold a GPU
    }

    private static void topology(Element caps, List<NumaNode> nodes, List<CpuThread> threads) {
        // capabilities' <cache><bank level='3' cpus='0-7'/>: the CPUs of each last-level cache
        Map<Integer, List<Integer>> llc = new java.util.HashMap<>();
        int top = descendants(caps, "bank").stream().mapToInt(b -> b.getAttribute("level").isEmpty() ? 0 : Integer.parseInt(b.getAttribute("level")))
                .max().orElse(0);
        for (Element bank : descendants(caps, "bank")) {
            if (!bank.getAttribute("level").equals(String.valueOf(top))) {
                continue;
            }
            List<Integer> shared = CpuList.parse(bank.getAttribute("cpus"));
            shared.forEach(c -> llc.put(c, shared));
        }
        for (Element cell : descendants(caps, "cell")) {
            int id = Integer.parseInt(cell.getAttribute("id"));
            List<Integer> cpus = new ArrayList<>();
            for (Element cpu : descendants(cell, "cpu")) {
                int c = Integer.parseInt(cpu.getAttribute("id"));
                cpus.add(c);
                String siblings = cpu.getAttribute("siblings");
                threads.add(new CpuThread(c, cpu.getAttribute("core_id").isEmpty() ? c : Integer.parseInt(cpu.getAttribute("core_id")),
                        cpu.getAttribute("socket_id").isEmpty() ? 0 : Integer.parseInt(cpu.getAttribute("socket_id")), id,
                        siblings.isEmpty() ? List.of(c) : CpuList.parse(siblings), llc.getOrDefault(c, List.of())));
            }
            nodes.add(new NumaNode(id, cpus, List.of(), cellMemoryKib(child(cell, "memory"))));
        }
        threads.sort((a, b) -> Integer.compare(a.cpu(), b.cpu()));
    }

    private static PcieLink link(Element pci) {
        Element pcie = child(pci, "pci-express");
        if (pcie == null) {
            return null;
        }
        String capSpeed = null;
        String staSpeed = "Unknown";
        int capWidth = 0;
        int staWidth = 0;
        for (Element l : descendants(pcie, "link")) {
            // as sysfs writes it; a link that is down has no speed (sysfs: "Unknown")
            String speed = l.getAttribute("speed").isEmpty() ? "Unknown" : l.getAttribute("speed") + " GT/s PCIe";
            int width = l.getAttribute("width").isEmpty() ? 0 : Integer.parseInt(l.getAttribute("width"));
            if (l.getAttribute("validity").equals("cap")) {
                capSpeed = speed;
                capWidth = width;
            } else {
                staSpeed = speed;
                staWidth = width;
            }
        }
        return capSpeed == null ? null : new PcieLink(staSpeed, capSpeed, staWidth, capWidth);
    }

    private static List<PciAddress> addresses(Element e) {
        List<PciAddress> out = new ArrayList<>();
        for (Element a : descendants(e, "address")) {
            out.add(new PciAddress(intAttr(a, "domain"), intAttr(a, "bus"), intAttr(a, "slot"), intAttr(a, "function")));
        }
        return out;
    }

    private static Element parse(String xml) {
        try {
            return LibvirtXml.parse(xml);
        } catch (IllegalArgumentException e) {
            throw new LibvirtFailure("libvirt returned XML that does not parse: " + e.getMessage(), -1);
        }
    }

    private static Element child(Element e, String tag) {
        NodeList kids = e.getChildNodes();
        for (int i = 0; i < kids.getLength(); i++) {
            Node n = kids.item(i);
            if (n instanceof Element c && c.getTagName().equals(tag)) {
                return c;
            }
        }
        return null;
    }

    private static Element childCapability(Element e, String type) {
        NodeList kids = e.getChildNodes();
        for (int i = 0; i < kids.getLength(); i++) {
            if (kids.item(i) instanceof Element c && c.getTagName().equals("capability") && c.getAttribute("type").equals(type)) {
                return c;
            }
        }
        return null;
    }

    private static List<Element> descendants(Element e, String tag) {
        NodeList list = e.getElementsByTagName(tag);
        List<Element> out = new ArrayList<>();
        for (int i = 0; i < list.getLength(); i++) {
            out.add((Element) list.item(i));
        }
        return out;
    }

    private static String text(Element e, String tag, String dflt) {
        Element c = child(e, tag);
        return c == null ? dflt : c.getTextContent().strip();
    }

    private static int intText(Element e, String tag) {
        String t = text(e, tag, "0");
        return number(t, "<" + tag + ">" + t + "</" + tag + ">");
    }

    private static int intAttr(Element e, String name) {
        String t = e.getAttribute(name);
        return number(t, "<" + e.getTagName() + " " + name + "='" + t + "'>");
    }

    /** {@code t} as an int; else an error that quotes it as the XML wrote it ({@code said}). */
    private static int number(String t, String said) {
        try {
            return Integer.decode(t);
        } catch (NumberFormatException x) {
            // Java's own text ("For input string") names neither the element nor the device
            throw new IllegalArgumentException(said + " is not a number below 2^31", x);
        }
    }

    /**
     * A capabilities cell's {@code <memory unit='KiB'>}, in KiB, read as a domain's memory is; 0 (not known: nothing is
     * judged by it) where the cell has none, as libvirt's test driver writes cells, or a size that does not read.
     */
    private static long cellMemoryKib(Element memory) {
        try {
            return DomainXmlFacts.kib(memory);
        } catch (IllegalArgumentException unreadable) {
            return 0;
        }
    }

    private static int idAttr(Element pci, String tag) {
        Element c = child(pci, tag);
        return c == null || c.getAttribute("id").isEmpty() ? 0 : intAttr(c, "id");
    }
}
