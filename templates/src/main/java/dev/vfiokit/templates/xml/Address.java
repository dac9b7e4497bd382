package dev.vfiokit.templates.xml;

import dev.vfiokit.iommucheck.host.PciAddress;
import jakarta.xml.bind.annotation.XmlAccessType;
import jakarta.xml.bind.annotation.XmlAccessorType;
import jakarta.xml.bind.annotation.XmlAttribute;

/** A PCI address, guest side ({@code type="pci"}) or host side in a hostdev source; or an mdev's {@code uuid}. */
@XmlAccessorType(XmlAccessType.FIELD)
public class Address {
    @XmlAttribute(name = "type")
    public String type;

    @XmlAttribute(name = "uuid")
    public String uuid;

    @XmlAttribute(name = "domain")
    public String domain;

    @XmlAttribute(name = "bus")
    public String bus;

    @XmlAttribute(name = "slot")
    public String slot;

    @XmlAttribute(name = "function")
    public String function;

    @XmlAttribute(name = "multifunction")
    public String multifunction;

    /** The host side of a PCI hostdev: {@code <address domain="0x0000" bus="0x01" slot="0x00" function="0x0"/>}. */
    public static Address hostPci(PciAddress a) {
        Address x = new Address();
        x.domain = String.format("0x%04x", a.domain());
        x.bus = String.format("0x%02x", a.bus());
        x.slot = String.format("0x%02x", a.slot());
        x.function = String.format("0x%x", a.function());
        return x;
    }

    /** A guest PCI address behind the root port whose index is {@code bus}. */
    public static Address guestPci(int bus, int slot, int function, boolean multifunction) {
        Address x = hostPci(new PciAddress(0, bus, slot, function));
        x.type = "pci";
        x.multifunction = multifunction ? "on" : null;
        return x;
    }

    public static Address mdev(String uuid) {
        Address x = new Address();
        x.uuid = uuid;
        return x;
    }

    /** The host PCI address this element names, or null when it names none. */
    public PciAddress toPciAddress() {
        if (bus == null || slot == null || function == null) {
            return null;
        }
        return new PciAddress(domain == null ? 0 : Integer.decode(domain), Integer.decode(bus), Integer.decode(slot),
                Integer.decode(function));
    }
}
