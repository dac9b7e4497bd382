package dev.vfiokit.libvirt;

import dev.vfiokit.iommucheck.host.HostSnapshot;
import dev.vfiokit.iommucheck.host.IommuGroup;
import dev.vfiokit.iommucheck.host.PciAddress;
import dev.vfiokit.iommucheck.host.PciDevice;
import dev.vfiokit.iommucheck.host.PcieLink;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Writes a host as a libvirt test-driver file ({@code test:///path}): its CPU topology, memory and PCI node
 * devices with IOMMU groups, SR-IOV capabilities, NUMA and link state. libvirt's test driver then serves that
 * host in-process, so libvirt commands can run against the demo host on any machine.
 */
public final class TestDriverHostFile {
    private TestDriverHostFile() {
    }

    public static Path write(HostSnapshot host, Path file) {
        return write(host, java.util.List.of(), file);
    }

    /**
     * The host and its domains. libvirt's test driver keeps state in memory only, so a command that changes
     * domains rewrites this file with them (the test namespace's runstate says running or shut off).
     */
    public static Path write(HostSnapshot host, java.util.List<PersistedDomain> domains, Path file) {
        StringBuilder x = new StringBuilder("<node>\n");
        int threads = host.cpuThreads().isEmpty() ? 1 : host.cpuThreads().get(0).siblings().size();
        int cpus = Math.max(1, host.cpu().logicalCpus());
        int nodes = Math.max(1, host.numaNodes().size());
        int sockets = (int) Math.max(1, host.cpuThreads().stream().mapToInt(t -> t.packageId()).distinct().count());
        x.append("  <cpu>\n    <mhz>2800</mhz>\n    <model>x86_64</model>\n    <nodes>").append(nodes)
                .append("</nodes>\n    <sockets>").append(sockets / nodes == 0 ? 1 : sockets)
                .append("</sockets>\n    <cores>").append(Math.max(1, cpus / threads / nodes / Math.max(1, sockets)))
                .append("</cores>\n    <threads>").append(threads).append("</threads>\n    <active>").append(cpus)
                .append("</active>\n  </cpu>\n  <memory>").append(host.memoryKib() > 0 ? host.memoryKib() : 268435456L)
                .append("</memory>\n");
        Map<PciAddress, IommuGroup> groupOf = host.groups().stream().flatMap(g -> g.members().stream().map(m -> Map.entry(m, g)))
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
        java.util.Set<String> pciParents = new java.util.HashSet<>();
        for (PciDevice d : host.devices()) {
            x.append(device(d, groupOf.get(d.address())));
            pciParents.add(d.address().toString());
        }
        // mdevs of PCI parents, as libvirt 7.3+ names and writes them; libvirt lists no others of a sysfs mdev_bus
        for (dev.vfiokit.iommucheck.host.MediatedDevice m : host.mdevs()) {
            if (pciParents.contains(m.parent())) {
                x.append(mdev(m));
            }
        }
        // libvirt's NAT network, as a packaged libvirt defines it: the templates' NICs use it
        x.append("  <network>\n    <name>default</name>\n    <forward mode='nat'/>\n    <bridge name='virbr0'/>\n"
                + "    <ip address='192.168.122.1' netmask='255.255.255.0'/>\n  </network>\n");
        for (PersistedDomain d : domains) {
            x.append(withRunState(d)).append('\n');
        }
        x.append("</node>\n");
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.writeString(file, x.toString());
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    private static String withRunState(PersistedDomain d) {
        String xml = d.xml().strip();
        int open = xml.indexOf("<domain");
        int close = xml.lastIndexOf("</domain>");
        if (open < 0 || close < 0) {
            throw new IllegalArgumentException("not a domain XML: " + d.name());
        }
        String ns = " xmlns:test='http://libvirt.org/schemas/domain/test/1.0'";
        String withNs = xml.contains("xmlns:test=") ? xml : xml.substring(0, open + 7) + ns + xml.substring(open + 7);
        close = withNs.lastIndexOf("</domain>");
        // 1 = VIR_DOMAIN_RUNNING, 5 = VIR_DOMAIN_SHUTOFF
        return withNs.substring(0, close) + "  <test:runstate>" + (d.running() ? 1 : 5) + "</test:runstate>\n" + withNs.substring(close);
    }

    /** libvirt's node device name for a PCI address: pci_0000_01_00_0. */
    public static String nodeDeviceName(PciAddress a) {
        return String.format("pci_%04x_%02x_%02x_%x", a.domain(), a.bus(), a.slot(), a.function());
    }

    /** A name read from a host tree (a driver's, say) as XML text: a tree may hold any bytes in its names. */
    private static String text(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    /** As {@link #text}, for a value inside the single quotes of an attribute. */
    private static String attr(String s) {
        return text(s).replace("'", "&apos;");
    }

    private static String addr(PciAddress a) {
        return String.format("<address domain='0x%04x' bus='0x%02x' slot='0x%02x' function='0x%x'/>", a.domain(), a.bus(),
                a.slot(), a.function());
    }

    private static String mdev(dev.vfiokit.iommucheck.host.MediatedDevice m) {
        PciAddress parent = PciAddress.parse(m.parent());
        StringBuilder x = new StringBuilder("  <device>\n");
        x.append("    <name>mdev_").append(m.uuid().replace('-', '_')).append('_').append(nodeDeviceName(parent).substring(4)).append("</name>\n");
        x.append("    <parent>").append(nodeDeviceName(parent)).append("</parent>\n");
        x.append("    <capability type='mdev'>\n      <type id='").append(attr(m.type())).append("'/>\n");
        x.append("      <uuid>").append(m.uuid()).append("</uuid>\n");
        if (m.iommuGroup() != null) {
            x.append("      <iommuGroup number='").append(m.iommuGroup()).append("'/>\n");
        }
        x.append("    </capability>\n  </device>\n");
        return x.toString();
    }

    private static String device(PciDevice d, IommuGroup group) {
        PciAddress a = d.address();
        StringBuilder x = new StringBuilder("  <device>\n");
        x.append("    <name>").append(nodeDeviceName(a)).append("</name>\n");
        x.append("    <parent>computer</parent>\n");
        if (d.driver() != null) {
            x.append("    <driver>\n      <name>").append(text(d.driver())).append("</name>\n    </driver>\n");
        }
        x.append("    <capability type='pci'>\n");
        x.append(String.format("      <class>0x%06x</class>%n", d.classCode()));
        x.append("      <domain>").append(a.domain()).append("</domain>\n      <bus>").append(a.bus())
                .append("</bus>\n      <slot>").append(a.slot()).append("</slot>\n      <function>").append(a.function())
                .append("</function>\n");
        x.append(String.format("      <product id='0x%04x'/>%n      <vendor id='0x%04x'/>%n", d.deviceId(), d.vendorId()));
        if (d.physfn() != null) {
            x.append("      <capability type='phys_function'>\n        ").append(addr(d.physfn())).append("\n      </capability>\n");
        }
        if (d.sriov() != null) {
            x.append("      <capability type='virt_functions' maxCount='").append(d.sriov().totalVfs()).append("'>\n");
            d.sriov().virtfns().forEach(v -> x.append("        ").append(addr(v)).append('\n'));
            x.append("      </capability>\n");
        }
        if (!d.mdevTypes().isEmpty()) {
            x.append("      <capability type='mdev_types'>\n");
            for (dev.vfiokit.iommucheck.host.MdevType t : d.mdevTypes()) {
                x.append("        <type id='").append(attr(t.id())).append("'>\n          <name>").append(text(t.name()))
                        .append("</name>\n          <deviceAPI>").append(text(t.deviceApi())).append("</deviceAPI>\n          <availableInstances>")
                        .append(t.availableInstances()).append("</availableInstances>\n        </type>\n");
            }
            x.append("      </capability>\n");
        }
        if (group != null) {
            x.append("      <iommuGroup number='").append(group.id()).append("'>\n");
            group.members().forEach(m -> x.append("        ").append(addr(m)).append('\n'));
            x.append("      </iommuGroup>\n");
        }
        if (d.numaNode() >= 0) {
            x.append("      <numa node='").append(d.numaNode()).append("'/>\n");
        }
        PcieLink l = d.link();
        if (l != null) {
            x.append("      <pci-express>\n");
            x.append(String.format("        <link validity='cap' port='0' speed='%s' width='%d'/>%n", gts(l.maxSpeed()), l.maxWidth()));
            x.append(String.format("        <link validity='sta' speed='%s' width='%d'/>%n", gts(l.currentSpeed()), l.currentWidth()));
            x.append("      </pci-express>\n");
        }
        x.append("    </capability>\n  </device>\n");
        return x.toString();
    }

    private static String gts(String speed) {
        double g = PcieLink.gts(speed);
        return g == Math.rint(g) ? String.valueOf((int) g) : String.valueOf(g);
    }
}
