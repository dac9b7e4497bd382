package dev.vfiokit.tuning.loss;

import dev.vfiokit.iommucheck.host.HostSnapshot;
import dev.vfiokit.iommucheck.host.PciAddress;
import dev.vfiokit.iommucheck.host.PciDevice;
import dev.vfiokit.iommucheck.input.DomainXmlFacts;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import java.util.List;
import java.util.Optional;

/** How the domain's devices reach it, which decides the loss to expect: the field's reference bands. */
public enum DeviceKind {
    VGPU("vgpu", 10, 30, "a shared GPU: time-sliced sharing loses 10–20%, vGPU 20–30%"),
    PASSTHROUGH("passthrough", 0, 3, "a whole device passed through (VFIO): under 3%"),
    SRIOV("sriov", 0, 3, "an SR-IOV virtual function passed through (VFIO): near-native, under 3%"),
    NONE("none", 0, 3, "no passed device: hardware-assisted CPU and memory virtualization (KVM), under 3%");

    private final String word;
    private final double low;
    private final double high;
    private final String band;

    DeviceKind(String word, double low, double high, String band) {
        this.word = word;
        this.low = low;
        this.high = high;
        this.band = band;
    }

    public String word() {
        return word;
    }

    public double bandLow() {
        return low;
    }

    public double bandHigh() {
        return high;
    }

    public String band() {
        return band;
    }

    public static DeviceKind of(String word) {
        for (DeviceKind k : values()) {
            if (k.word.equals(word)) {
                return k;
            }
        }
        throw new IllegalArgumentException("unknown device kind '" + word + "'");
    }

    /**
     * The domain's kind: a mediated device or a VF with NVIDIA's vendor vGPU type is vGPU; else a passed function
     * that is not a VF is passthrough; else a VF (hostdev or hostdev interface) is SR-IOV; else none.
     */
    public static DeviceKind of(Element domain, HostSnapshot host) {
        NodeList hostdevs = domain.getElementsByTagName("hostdev");
        for (int i = 0; i < hostdevs.getLength(); i++) {
            if (((Element) hostdevs.item(i)).getAttribute("type").equals("mdev")) {
                return VGPU;
            }
        }
        List<PciAddress> passed = DomainXmlFacts.passedPciAddresses(domain);
        List<Optional<PciDevice>> devices = passed.stream().map(a -> host == null ? Optional.<PciDevice>empty() : host.device(a)).toList();
        if (devices.stream().flatMap(Optional::stream).anyMatch(d -> d.vendorVgpu() != null && d.vendorVgpu().currentType() > 0)) {
            return VGPU;
        }
        // a function the host does not show is taken as a whole device: the band that asks the most
        if (devices.stream().anyMatch(d -> d.isEmpty() || !d.get().isVirtualFunction())) {
            return PASSTHROUGH;
        }
        return passed.isEmpty() ? sriovInterface(domain) : SRIOV;
    }

    /** An {@code <interface type='hostdev'>} names a PCI VF, or a pool network of VFs. */
    private static DeviceKind sriovInterface(Element domain) {
        NodeList ifs = domain.getElementsByTagName("interface");
        for (int i = 0; i < ifs.getLength(); i++) {
            if (((Element) ifs.item(i)).getAttribute("type").equals("hostdev")) {
                return SRIOV;
            }
        }
        return NONE;
    }
}
