package dev.vfiokit.libvirt;

import dev.vfiokit.iommucheck.host.CpuInfo;
import dev.vfiokit.iommucheck.host.CpuThread;
import dev.vfiokit.iommucheck.host.EarlyBinding;
import dev.vfiokit.iommucheck.host.FactSource;
import dev.vfiokit.iommucheck.host.HostSnapshot;
import dev.vfiokit.iommucheck.host.IommuGroup;
import dev.vfiokit.iommucheck.host.InterruptRemapping;
import dev.vfiokit.iommucheck.host.NumaNode;
import dev.vfiokit.iommucheck.host.PciAddress;
import dev.vfiokit.iommucheck.host.PciDevice;
import dev.vfiokit.iommucheck.host.PcieLink;
import dev.vfiokit.iommucheck.host.CpuList;
import dev.vfiokit.iommucheck.host.Sriov;
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
 * link) and the capabilities' NUMA topology, in the same {@link HostSnapshot} model as a sysfs read, so that
 * check, groups and generate work on a remote host through libvirt alone.
 */
public final class NodeDeviceHost {
    private NodeDeviceHost() {
    }

    public static HostSnapshot read(LibvirtConnection conn) {
        return fromXml(conn.uri(), conn.pciDeviceXmls(), conn.capabilities());
    }

    /** The host that node device XMLs (PCI devices; others are skipped) and capabilities XML as libvirt writes them describe. */
    public static HostSnapshot fromXml(String uri, List<String> deviceXmls, String capabilitiesXml) {
        List<PciDevice> devices = new ArrayList<>();
        Map<Integer, Set<PciAddress>> groups = new TreeMap<>();
        for (String xml : deviceXmls) {
            Element root = parse(xml);
            Element pci = childCapability(root, "pci");
            if (pci == null) {
                continue;
            }
            try {
                read(root, pci, devices, groups);
            } catch (IllegalArgumentException e) {
                // a number that does not parse, an address out of PCI's range (libvirt's nodedevschemadata has bus 4294967295)
                throw new LibvirtFailure("libvirt described node device " + text(root, "name", "(unnamed)") + " with a value vfiokit cannot read: "
                        + e.getMessage(), -1);
            }
        }
        return host(uri, devices, groups, capabilitiesXml);
    }

    /** One PCI node device into {@code devices}, and its address into its IOMMU group. */
    private static void read(Element root, Element pci, List<PciDevice> devices, Map<Integer, Set<PciAddress>> groups) {
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
        Sriov sriov = vfCap == null ? null : new Sriov(vfCap.getAttribute("maxCount").isEmpty() ? 0
                : Integer.parseInt(vfCap.getAttribute("maxCount")), addresses(vfCap).size(), addresses(vfCap), null);
        devices.add(new PciDevice(a, idAttr(pci, "vendor"), idAttr(pci, "product"), 0, 0,
                intText(pci, "class"), driver == null ? null : text(driver, "name", null), null,
                groupId, numa == null ? -1 : Integer.parseInt(numa.getAttribute("node")), false, sriov,
                pfCap == null || addresses(pfCap).isEmpty() ? null : addresses(pfCap).get(0), link(pci), List.of(), false, false,
                List.of(), List.of(), List.of(), null));
    }

    private static HostSnapshot host(String uri, List<PciDevice> devices, Map<Integer, Set<PciAddress>> groups, String capabilitiesXml) {
        devices.sort((x, y) -> x.address().compareTo(y.address()));
        List<IommuGroup> groupList = groups.entrySet().stream()
                .map(e -> new IommuGroup(e.getKey(), e.getValue().stream().sorted().toList())).toList();
        List<NumaNode> nodes = new ArrayList<>();
        List<CpuThread> threads = new ArrayList<>();
        topology(parse(capabilitiesXml), nodes, threads);
        return new HostSnapshot("libvirt:" + uri, FactSource.LIBVIRT, "unknown", "",
                new CpuInfo("unknown", "unknown", Set.of(), threads.size()), false, Set.of(), List.of(),
                InterruptRemapping.UNKNOWN, Map.of(), Set.of(),
                EarlyBinding.NONE, nodes, threads, devices, groupList, List.of(), List.of(), List.of(), null,
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
            nodes.add(new NumaNode(id, cpus, List.of()));
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

    private static int idAttr(Element pci, String tag) {
        Element c = child(pci, tag);
        return c == null || c.getAttribute("id").isEmpty() ? 0 : intAttr(c, "id");
    }
}
