package dev.vfiokit.tuning;

import dev.vfiokit.iommucheck.host.HostSnapshot;
import dev.vfiokit.iommucheck.host.PciAddress;
import dev.vfiokit.iommucheck.host.PciDevice;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** The facts rules test, read from the domain document, the host and the profile. */
final class DomainFacts {
    private static final List<String> LINUX = List.of("linux", "fedora", "ubuntu", "debian", "rhel", "centos", "opensuse",
            "suse", "alpine", "rocky", "almalinux", "archlinux", "coreos", "gentoo", "mageia", "oraclelinux");

    private static final Set<String> X86 = Set.of("x86_64", "i686", "i386");

    private DomainFacts() {
    }

    /**
     * The guest architecture: {@code <os><type arch>}, or x86_64 where the domain leaves it to libvirt (whose
     * default is the host's, and vfiokit's hosts without the attribute are x86).
     */
    static String arch(Element domain) {
        Element os = DomXml.child(domain, "os");
        Element osType = os == null ? null : DomXml.child(os, "type");
        String arch = osType == null ? "" : osType.getAttribute("arch");
        return arch.isEmpty() ? "x86_64" : arch.equals("i386") ? "i686" : arch;
    }

    static boolean isX86(Element domain) {
        return X86.contains(arch(domain));
    }

    static Set<String> of(Element domain, HostSnapshot host, Profile profile) {
        return of(domain, host, profile, osFamily(domain));
    }

    /** With the guest OS given: read from the input, before any rule added elements it is otherwise guessed from. */
    static Set<String> of(Element domain, HostSnapshot host, Profile profile, String osFamily) {
        Set<String> f = new LinkedHashSet<>(profile.traits());
        String type = domain.getAttribute("type");
        if (type.equals("kvm") || type.equals("qemu")) {
            f.add(type);
        }
        Element devices = DomXml.child(domain, "devices");
        if (devices != null) {
            for (Element h : DomXml.children(devices, "hostdev")) {
                switch (h.getAttribute("type")) {
                    case "pci" -> f.add("pci-hostdev");
                    case "mdev" -> f.add("mdev");
                    case "usb" -> f.add("usb-hostdev");
                    default -> {
                    }
                }
            }
            if (!DomXml.children(devices, "graphics").isEmpty()) {
                f.add("graphics");
            }
            for (Element i : DomXml.children(devices, "interface")) {
                if (i.getAttribute("type").equals("hostdev")) {
                    f.add("vf");
                }
                Element model = DomXml.child(i, "model");
                if (model != null && model.getAttribute("type").equals("virtio")) {
                    f.add("virtio-net");
                }
            }
            for (Element d : DomXml.children(devices, "disk")) {
                Element target = DomXml.child(d, "target");
                if (target != null && target.getAttribute("bus").equals("virtio") && !d.getAttribute("device").equals("cdrom")) {
                    f.add("virtio-disk");
                }
            }
            for (PciDevice d : passedDevices(domain, host)) {
                if (d.isGpu()) {
                    f.add("gpu");
                    if (d.vendorId() == 0x10de) {
                        f.add("nvidia-gpu");
                    }
                }
                if (d.isVirtualFunction()) {
                    f.add("vf");
                }
            }
        }
        Element os = DomXml.child(domain, "os");
        Element osType = os == null ? null : DomXml.child(os, "type");
        // i440fx is "pc" or "pc-i440fx-N"; libvirt writes q35 out as "pc-q35-N", which is q35 already
        String machine = osType == null ? "" : osType.getAttribute("machine");
        if (machine.startsWith("pc") && !machine.startsWith("pc-q35")) {
            f.add("pc-machine");
        }
        // kept for user rule files written before rules stated their architectures
        if (X86.contains(arch(domain))) {
            f.add("x86");
        }
        // a guest vIOMMU with interrupt remapping needs QEMU's split I/O APIC (libvirt refuses the in-kernel one)
        Element iommu = devices == null ? null : DomXml.child(devices, "iommu");
        Element iommuDriver = iommu == null ? null : DomXml.child(iommu, "driver");
        if (iommuDriver != null && iommuDriver.getAttribute("intremap").equals("on")) {
            f.add("viommu-intremap");
        }
        f.add(osFamily);
        return f;
    }

    /** windows, linux or os-unknown: from libosinfo metadata (virt-install writes it), else from Hyper-V features. */
    static String osFamily(Element domain) {
        NodeList osinfo = domain.getElementsByTagNameNS("http://libosinfo.org/xmlns/libvirt/domain/1.0", "os");
        for (int i = 0; i < osinfo.getLength(); i++) {
            String id = ((Element) osinfo.item(i)).getAttribute("id").toLowerCase();
            if (id.contains("microsoft.com/win")) {
                return "windows";
            }
            if (LINUX.stream().anyMatch(id::contains)) {
                return "linux";
            }
        }
        Element features = DomXml.child(domain, "features");
        Element hyperv = features == null ? null : DomXml.child(features, "hyperv");
        // Hyper-V enlightenments mean Windows; a <hyperv> holding only a vendor_id is KVM hiding, done for any guest
        if (hyperv != null && hyperv.getElementsByTagName("*").getLength() > DomXml.children(hyperv, "vendor_id").size()) {
            return "windows";
        }
        return "os-unknown";
    }

    /** Host PCI addresses the domain holds: PCI hostdevs and hostdev interfaces. */
    static List<PciAddress> passedAddresses(Element domain) {
        return dev.vfiokit.iommucheck.input.DomainXmlFacts.passedPciAddresses(domain);
    }

    static List<PciDevice> passedDevices(Element domain, HostSnapshot host) {
        if (host == null) {
            return List.of();
        }
        return passedAddresses(domain).stream().map(host::device).flatMap(Optional::stream).toList();
    }

    /**
     * The host devices whose NUMA node the guest belongs on: those it holds, and the PCI parents of its mdevs (a vGPU
     * runs on its parent GPU's node).
     */
    static List<PciDevice> placementDevices(Element domain, HostSnapshot host) {
        if (host == null) {
            return List.of();
        }
        List<PciDevice> out = new ArrayList<>(passedDevices(domain, host));
        for (String uuid : dev.vfiokit.iommucheck.input.DomainXmlFacts.mdevUuids(domain)) {
            host.mdevs().stream().filter(m -> m.uuid().equalsIgnoreCase(uuid)).findFirst()
                    .flatMap(m -> host.mdevParent(m.parent()))
                    .filter(p -> p.pciAddress() != null)
                    .flatMap(p -> host.device(p.pciAddress()))
                    .ifPresent(out::add);
        }
        return out;
    }

}
