package dev.vfiokit.tests;

import dev.vfiokit.iommucheck.host.HostSnapshot;
import dev.vfiokit.iommucheck.host.MediatedDevice;
import dev.vfiokit.iommucheck.host.PciAddress;
import dev.vfiokit.iommucheck.host.PciDevice;
import dev.vfiokit.libvirt.LibvirtConnection;
import dev.vfiokit.libvirt.LibvirtFailure;
import dev.vfiokit.libvirt.NodeDeviceHost;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A host seen through libvirt alone ({@code --connect URI}) is read from node device and capabilities XML that
 * libvirt wrote: here libvirt's own (libvirt 11.3.0's tests/nodedevschemadata, vircaps2xmldata and
 * capabilityschemadata, as {@link LibvirtCorpusTest} fetches them) and virt-manager 5.0.0's (tests/data/capabilities,
 * tests/data/nodedev, and the node devices of its test-driver host), and OpenStack Nova 26.2.2's (what its unit tests
 * give its libvirt driver as libvirt's answers: resources corpus/nova, SOURCE.md there). Each PCI device must come
 * back with the address, ids, class, driver, NUMA node, IOMMU group, SR-IOV functions, mdev types and link the XML
 * states; each mdev with its UUID, type and parent; each host with its NUMA cells and CPUs as its capabilities list
 * them, and for each guest arch the domain type chosen (kvm exactly where they offer it).
 */
@Tag("corpus")
class NodeDeviceCorpusTest {
    private static final Pattern ADDRESS = Pattern.compile("<domain>(\\w+)</domain>\\s*<bus>(\\w+)</bus>\\s*<slot>(\\w+)</slot>\\s*<function>(\\w+)</function>");

    private static List<Path> xmls(Path dir, String prefix) throws Exception {
        try (var s = Files.list(dir)) {
            return s.filter(f -> f.getFileName().toString().startsWith(prefix) && f.toString().endsWith(".xml")).sorted().toList();
        }
    }

    private static boolean inPciRange(Matcher address) {
        return Long.decode(address.group(1)) <= 0xffff && Long.decode(address.group(2)) <= 0xff && Long.decode(address.group(3)) <= 0x1f
                && Long.decode(address.group(4)) <= 7;
    }

    /** The {@code <device>} documents of a file: one, or many in a virt-manager node device list. */
    private static List<String> devices(Path f) throws Exception {
        Matcher m = Pattern.compile("(?ms)^\\s*<device>.*?^\\s*</device>").matcher(Files.readString(f));
        List<String> out = new ArrayList<>();
        while (m.find()) {
            out.add(m.group().strip());
        }
        return out;
    }

    static Path libvirt;
    static Path virtManager;
    static Path nova;

    @BeforeAll
    static void corpora() throws Exception {
        libvirt = LibvirtCorpusTest.newerTests();
        virtManager = LibvirtCorpusTest.virtManagerData();
        nova = Path.of(NodeDeviceCorpusTest.class.getResource("/corpus/nova/SOURCE.md").toURI()).getParent();
    }

    /** The documents, each PCI address kept by its first document only. */
    private static List<String> firstAtEachAddress(List<String> docs) {
        Set<List<Long>> seen = new java.util.HashSet<>();
        return docs.stream().filter(x -> {
            Matcher a = ADDRESS.matcher(x);
            return !a.find() || seen.add(List.of(Long.decode(a.group(1)), Long.decode(a.group(2)), Long.decode(a.group(3)), Long.decode(a.group(4))));
        }).toList();
    }

    /**
     * The mdev an mdev node device's text states, read apart from vfiokit: the UUID ({@code <uuid>}, else the name's),
     * type, group, and the parent as sysfs names it: {@code <parent_addr>} where written, else the address of the
     * device {@code <parent>} names in {@code named}, else what a pci_DDDD_BB_SS_F name spells.
     */
    private static MediatedDevice stated(String m, Map<String, PciAddress> named) {
        String uuid = m.contains("<uuid>") ? m.replaceFirst("(?s).*<uuid>([^<]+)</uuid>.*", "$1").strip()
                : name(m).substring("mdev_".length(), "mdev_".length() + 36).replace('_', '-');
        String type = m.replaceFirst("(?s).*<type id=['\"]([^'\"]+)['\"].*", "$1");
        Matcher group = Pattern.compile("<iommuGroup number=['\"](\\d+)['\"]").matcher(m);
        Matcher addr = Pattern.compile("<parent_addr>([^<]+)</parent_addr>").matcher(m);
        String parent = m.replaceFirst("(?s).*<parent>([^<]*)</parent>.*", "$1");
        PciAddress listed = named.get(parent);
        String says = addr.find() ? addr.group(1).strip() : listed != null ? listed.toString()
                : parent.replaceFirst("^pci_(\\w{4})_(\\w{2})_(\\w{2})_(\\w)$", "$1:$2:$3.$4");
        return new MediatedDevice(uuid, says, type, group.find() ? Integer.valueOf(group.group(1)) : null);
    }

    private static String name(String deviceXml) {
        return deviceXml.replaceFirst("(?s).*?<name>([^<]+)</name>.*", "$1");
    }

    @Test
    void everyPciNodeDeviceOfLibvirtsVirtManagersAndNovasTestsIsReadAsTheXmlStatesIt() throws Exception {
        List<String> pci = new ArrayList<>();
        List<Path> files = new ArrayList<>(xmls(libvirt.resolve("nodedevschemadata"), ""));
        files.addAll(xmls(libvirt.resolve("nodedevxml2xmlout"), ""));
        try (var s = Files.walk(virtManager.resolve("nodedev"))) {
            files.addAll(s.filter(f -> f.toString().endsWith(".xml")).sorted().toList());
        }
        // virt-manager's test-driver host: a whole machine's node devices
        files.add(virtManager.resolve("testdriver/testdriver.xml"));
        files.addAll(xmls(nova.resolve("device"), ""));
        for (Path f : files) {
            devices(f).stream().filter(d -> d.contains("<capability type='pci'>") || d.contains("<capability type=\"pci\">")).forEach(pci::add);
        }
        assertThat(pci).hasSizeGreaterThan(40);
        String caps = Files.readString(libvirt.resolve("vircaps2xmldata/vircaps-x86_64-basic.xml"));
        int sriov = 0;
        int links = 0;
        int refused = 0;
        int mdevParents = 0;
        for (String xml : pci) {
            Matcher a = ADDRESS.matcher(xml);
            assertThat(a.find()).as(xml).isTrue();
            if (!inPciRange(a)) {
                // libvirt's header-type tests carry bus 4294967295, virt-manager's test host a function 50:
                // refused in one line, naming the device
                assertThatThrownBy(() -> NodeDeviceHost.fromXml("test:///corpus", List.of(xml), caps)).isInstanceOf(LibvirtFailure.class)
                        .hasMessageContaining(name(xml)).hasMessageNotContaining("\n");
                refused++;
                continue;
            }
            HostSnapshot h = NodeDeviceHost.fromXml("test:///corpus", List.of(xml), caps);
            assertThat(h.devices()).as(xml).hasSize(1);
            PciDevice d = h.devices().get(0);
            assertThat(d.address()).as(xml).isEqualTo(new PciAddress(Integer.decode(a.group(1)), Integer.decode(a.group(2)),
                    Integer.decode(a.group(3)), Integer.decode(a.group(4))));
            Matcher vendor = Pattern.compile("<vendor id=['\"](0x\\w+)['\"]").matcher(xml);
            if (vendor.find()) {
                assertThat(d.vendorId()).as(xml).isEqualTo(Integer.decode(vendor.group(1)));
            }
            Matcher cls = Pattern.compile("<class>(0x\\w+)</class>").matcher(xml);
            if (cls.find()) {
                assertThat(d.classCode()).as(xml).isEqualTo(Integer.decode(cls.group(1)));
            }
            Matcher driver = Pattern.compile("(?s)^<device>.*?<driver>\\s*<name>([^<]+)</name>").matcher(xml);
            assertThat(d.driver()).as(xml).isEqualTo(driver.find() && driver.start(1) < xml.indexOf("<capability") ? driver.group(1).strip() : null);
            Matcher numa = Pattern.compile("<numa node=['\"](-?\\d+)['\"]").matcher(xml);
            assertThat(d.numaNode()).as(xml).isEqualTo(numa.find() ? Integer.parseInt(numa.group(1)) : -1);
            Matcher group = Pattern.compile("<iommuGroup number=['\"](\\d+)['\"]").matcher(xml);
            if (group.find()) {
                assertThat(d.iommuGroup()).as(xml).isEqualTo(Integer.parseInt(group.group(1)));
                // the group as libvirt lists it, every member, not only the devices this host's list holds
                String listed = Pattern.compile("(?s)<iommuGroup.*?</iommuGroup>").matcher(xml).results().findFirst().orElseThrow().group();
                java.util.Set<PciAddress> members = new java.util.TreeSet<>(Pattern.compile(
                        "<address domain=['\"](\\w+)['\"] bus=['\"](\\w+)['\"] slot=['\"](\\w+)['\"] function=['\"](\\w+)['\"]")
                        .matcher(listed).results().map(r -> new PciAddress(Integer.decode(r.group(1)), Integer.decode(r.group(2)),
                                Integer.decode(r.group(3)), Integer.decode(r.group(4)))).toList());
                members.add(d.address());
                assertThat(h.groups()).as(xml).singleElement().satisfies(g -> assertThat(g.members()).containsExactlyElementsOf(members));
            } else {
                assertThat(d.iommuGroup()).as(xml).isNull();
            }
            Matcher vfs = Pattern.compile("(?s)<capability type=['\"]virt_functions['\"](?: maxCount=['\"](\\d+)['\"])?(/>|>(.*?)</capability>)").matcher(xml);
            if (vfs.find()) {
                sriov++;
                assertThat(d.sriov()).as(xml).isNotNull();
                int listed = vfs.group(3) == null ? 0 : (int) Pattern.compile("<address ").matcher(vfs.group(3)).results().count();
                assertThat(d.sriov().numVfs()).as(xml).isEqualTo(listed);
                // libvirt before 1.3 wrote no maxCount (Nova's I350): the listed VFs are all that is known
                assertThat(d.sriov().totalVfs()).as(xml).isEqualTo(vfs.group(1) == null ? listed : Integer.parseInt(vfs.group(1)));
            }
            Matcher types = Pattern.compile("(?s)<capability type=['\"]mdev_types['\"]>(.*?)</capability>").matcher(xml);
            List<String> typeIds = types.find() ? Pattern.compile("<type id=['\"]([^'\"]+)['\"]").matcher(types.group(1)).results()
                    .map(r -> r.group(1)).toList() : List.of();
            assertThat(d.mdevTypes()).as(xml).extracting(dev.vfiokit.iommucheck.host.MdevType::id).containsExactlyElementsOf(typeIds);
            mdevParents += typeIds.isEmpty() ? 0 : 1;
            assertThat(h.mdevParents()).as(xml).hasSize(typeIds.isEmpty() ? 0 : 1);
            if (xml.contains("<pci-express>") && xml.contains("validity='cap'")) {
                links++;
                assertThat(d.link()).as(xml).isNotNull();
                assertThat(d.link().describeCurrent() + d.link().describeMax()).as(xml).doesNotContain("( GT/s");
            }
        }
        assertThat(refused).isBetween(2, 6);
        // virt-manager's test host read whole: every device in its group, every group member listed
        List<String> host = devices(virtManager.resolve("testdriver/testdriver.xml")).stream().filter(x -> {
            Matcher a = ADDRESS.matcher(x);
            return !a.find() || inPciRange(a);
        }).toList();
        // it holds one address twice (pci_8086_2a02, HAL's name of old, beside pci_0000_00_02_0): refused, as
        // vfiokit cannot tell which of the two is the device; one document an address, it reads
        assertThatThrownBy(() -> NodeDeviceHost.fromXml("test:///corpus", host, caps)).isInstanceOf(LibvirtFailure.class)
                .hasMessage("libvirt listed two node devices at 0000:00:02.0 (pci_0000_00_02_0 and pci_8086_2a02)");
        HostSnapshot whole = NodeDeviceHost.fromXml("test:///corpus", firstAtEachAddress(host), caps);
        assertThat(whole.devices()).hasSizeGreaterThan(30);
        for (PciDevice d : whole.devices()) {
            if (d.iommuGroup() != null) {
                assertThat(whole.groups()).filteredOn(g -> g.id() == d.iommuGroup()).singleElement()
                        .satisfies(g -> assertThat(g.members()).contains(d.address()));
            }
        }
        assertThat(sriov).isGreaterThan(3);
        assertThat(links).isGreaterThan(3);
        assertThat(mdevParents).isGreaterThan(2);
        System.out.println("node devices: " + files.size() + " files, " + pci.size() + " PCI devices (" + refused + " refused), " + sriov
                + " with SR-IOV, " + mdevParents + " with mdev types, " + links + " with a PCIe link");
    }

    /**
     * Nova's node devices read as one host: two of its documents put a device at one address (test_config's
     * pci_0000_33_00_0 says bus 9), which is refused in one line; one device an address, the mdevs come back with
     * their UUID (libvirt 7.3+'s {@code <uuid>}, or the older name's), type, group, and parent as sysfs names it.
     */
    @Test
    void novasNodeDevicesAsOneHostGiveEachMdevItsUuidTypeAndParentAndTwoAtOneAddressAreRefused() throws Exception {
        List<String> all = new ArrayList<>();
        for (Path f : xmls(nova.resolve("device"), "")) {
            all.addAll(devices(f));
        }
        String caps = Files.readString(libvirt.resolve("vircaps2xmldata/vircaps-x86_64-basic.xml"));
        assertThatThrownBy(() -> NodeDeviceHost.fromXml("test:///nova", all, caps)).isInstanceOf(LibvirtFailure.class)
                .hasMessageMatching("libvirt listed two node devices at [0-9a-f:.]+ \\(pci_\\w+ and pci_\\w+\\)");
        List<String> one = firstAtEachAddress(all);
        List<String> mdevs = one.stream().filter(x -> x.contains("type='mdev'") || x.contains("type=\"mdev\"")).toList();
        java.util.Map<String, PciAddress> named = new java.util.HashMap<>();
        for (String x : one) {
            Matcher a = ADDRESS.matcher(x);
            if ((x.contains("type='pci'") || x.contains("type=\"pci\"")) && a.find()) {
                named.put(name(x), new PciAddress(Integer.decode(a.group(1)), Integer.decode(a.group(2)), Integer.decode(a.group(3)),
                        Integer.decode(a.group(4))));
            }
        }
        HostSnapshot h = NodeDeviceHost.fromXml("test:///nova", one, caps);
        assertThat(h.devices()).hasSize(named.size());
        assertThat(h.mdevs()).hasSize(mdevs.size()).hasSizeGreaterThan(1);
        for (String m : mdevs) {
            MediatedDevice stated = stated(m, named);
            assertThat(h.mdevs()).as(m).anySatisfy(x -> {
                assertThat(x.uuid()).isEqualTo(stated.uuid());
                assertThat(x.type()).isEqualTo(stated.type());
                assertThat(x.parent()).isEqualTo(stated.parent());
            });
        }
        // every parent libvirt lists with mdev types, by the address its device says
        assertThat(h.mdevParents()).extracting(p -> p.name()).containsExactlyInAnyOrderElementsOf(h.devices().stream()
                .filter(d -> !d.mdevTypes().isEmpty()).map(d -> d.address().toString()).toList()).hasSizeGreaterThan(1);
        System.out.println("nova as one host: " + all.size() + " node devices, " + h.devices().size() + " PCI, " + h.mdevs().size()
                + " mdevs, " + h.mdevParents().size() + " mdev parents");
    }

    /**
     * Every mdev node device of libvirt's tests (nodedevschemadata, nodedevxml2xmlout, what mdevctl's list becomes in
     * nodedevmdevctldata) and Nova's: its UUID ({@code <uuid>}, or the name's), type, IOMMU group, and parent as
     * sysfs names it ({@code <parent_addr>} where written, else the address a pci_DDDD_BB_SS_F parent spells).
     */
    @Test
    void everyMdevNodeDeviceOfLibvirtsAndNovasTestsIsReadWithItsUuidTypeGroupAndParent() throws Exception {
        List<String> mdevs = new ArrayList<>();
        for (Path f : List.of(libvirt.resolve("nodedevschemadata"), libvirt.resolve("nodedevxml2xmlout"), libvirt.resolve("nodedevmdevctldata"),
                nova.resolve("device"))) {
            for (Path x : xmls(f, "")) {
                devices(x).stream().filter(d -> d.contains("<capability type='mdev'>") || d.contains("<capability type=\"mdev\">")).forEach(mdevs::add);
            }
        }
        String caps = Files.readString(libvirt.resolve("vircaps2xmldata/vircaps-x86_64-basic.xml"));
        int withParentAddr = 0;
        for (String m : mdevs) {
            List<MediatedDevice> read = NodeDeviceHost.fromXml("test:///corpus", List.of(m), caps).mdevs();
            assertThat(read).as(m).hasSize(1);
            var d = read.get(0);
            MediatedDevice stated = stated(m, Map.of());
            assertThat(d.uuid()).as(m).isEqualTo(stated.uuid()).matches("\\p{XDigit}{8}(-\\p{XDigit}{4}){3}-\\p{XDigit}{12}");
            assertThat(d.type()).as(m).isEqualTo(stated.type());
            assertThat(d.iommuGroup()).as(m).isEqualTo(stated.iommuGroup());
            withParentAddr += m.contains("<parent_addr>") ? 1 : 0;
            assertThat(d.parent()).as(m).isEqualTo(stated.parent());
        }
        assertThat(mdevs).hasSizeGreaterThan(15);
        assertThat(withParentAddr).isGreaterThan(2);
        System.out.println("mdev node devices: " + mdevs.size() + ", " + withParentAddr + " with <parent_addr>");
    }

    @Test
    void everyHostCapabilitiesOfLibvirtsVirtManagersAndNovasTestsGivesItsCellsCpusAndDomainTypePerArch() throws Exception {
        List<Path> files = new ArrayList<>(xmls(libvirt.resolve("vircaps2xmldata"), "vircaps-"));
        files.addAll(xmls(libvirt.resolve("capabilityschemadata"), ""));
        files.addAll(xmls(virtManager.resolve("capabilities"), "").stream().filter(f -> !f.getFileName().toString().contains("domcaps")).toList());
        files.addAll(xmls(nova.resolve("capabilities"), ""));
        int withCells = 0;
        int guests = 0;
        int cellsWithMemory = 0;
        for (Path f : files) {
            String caps = Files.readString(f);
            HostSnapshot h = NodeDeviceHost.fromXml("test:///corpus", List.of(), caps);
            int cells = Pattern.compile("<cell id=").matcher(caps).results().mapToInt(r -> 1).sum();
            int cpus = Pattern.compile("<cpu id=").matcher(caps).results().mapToInt(r -> 1).sum();
            assertThat(h.numaNodes()).as(f.toString()).hasSize(cells);
            assertThat(h.cpuThreads()).as(f.toString()).hasSize(cpus);
            withCells += cells > 0 ? 1 : 0;
            // each cell's memory as the XML states it (KiB, the unit libvirt writes); a cell without it leaves it unknown
            Matcher cell = Pattern.compile("(?s)<cell id=['\"](\\d+)['\"][^>]*>\\s*(?:<memory unit=['\"]KiB['\"]>(\\d+)</memory>)?")
                    .matcher(caps);
            while (cell.find()) {
                long stated = cell.group(2) == null ? 0 : Long.parseLong(cell.group(2));
                assertThat(h.numaNode(Integer.parseInt(cell.group(1))).orElseThrow().memoryKib()).as(f + " cell " + cell.group(1))
                        .isEqualTo(stated);
                cellsWithMemory += stated > 0 ? 1 : 0;
            }
            // the domain type vfiokit picks for a guest: kvm exactly where the XML offers it for that arch
            Matcher arch = Pattern.compile("(?s)<arch name=['\"]([^'\"]+)['\"]>(.*?)</arch>").matcher(caps);
            while (arch.find()) {
                String expected = Pattern.compile("<domain type=['\"]kvm['\"]").matcher(arch.group(2)).find() ? "kvm" : "qemu";
                assertThat(LibvirtConnection.bestDomainType(caps, arch.group(1), f.toString())).as(f + " " + arch.group(1)).isEqualTo(expected);
                guests++;
            }
        }
        assertThat(LibvirtConnection.bestDomainType(Files.readString(virtManager.resolve("capabilities/kvm-aarch64.xml")), "aarch64", "")).isEqualTo("kvm");
        assertThat(LibvirtConnection.bestDomainType(Files.readString(virtManager.resolve("capabilities/test-qemu-no-kvm.xml")), "x86_64", "")).isEqualTo("qemu");
        assertThat(guests).isGreaterThan(50);
        assertThat(withCells).isGreaterThan(10);
        assertThat(cellsWithMemory).isGreaterThan(10);
        System.out.println("capabilities: " + files.size() + " files, " + withCells + " with NUMA cells (" + cellsWithMemory
                + " cells stating their memory), " + guests + " guest arches");
    }
}
