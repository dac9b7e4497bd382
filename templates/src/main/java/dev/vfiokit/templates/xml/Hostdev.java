package dev.vfiokit.templates.xml;

import jakarta.xml.bind.annotation.XmlAccessType;
import jakarta.xml.bind.annotation.XmlAccessorType;
import jakarta.xml.bind.annotation.XmlAttribute;
import jakarta.xml.bind.annotation.XmlElement;
import jakarta.xml.bind.annotation.XmlType;

/** A passed-through device: PCI ({@code type="pci"}) or mediated ({@code type="mdev" model="vfio-pci"}). */
@XmlAccessorType(XmlAccessType.FIELD)
@XmlType(propOrder = {"driver", "source", "rom", "address"})
public class Hostdev {
    /** A PCI device handed over by vfio, libvirt detaching and reattaching it ({@code managed='yes'}). */
    public static Hostdev vfioPci(dev.vfiokit.iommucheck.host.PciAddress hostAddress) {
        Hostdev h = new Hostdev();
        h.mode = "subsystem";
        h.type = "pci";
        h.managed = "yes";
        h.driver = new DriverName();
        h.driver.name = "vfio";
        h.source = new HostdevSource();
        h.source.address = Address.hostPci(hostAddress);
        return h;
    }

    @XmlAttribute(name = "mode")
    public String mode;

    @XmlAttribute(name = "type")
    public String type;

    @XmlAttribute(name = "managed")
    public String managed;

    @XmlAttribute(name = "model")
    public String model;

    @XmlAttribute(name = "display")
    public String display;

    @XmlAttribute(name = "ramfb")
    public String ramfb;

    @XmlElement(name = "driver")
    public DriverName driver;

    @XmlElement(name = "source")
    public HostdevSource source;

    @XmlElement(name = "rom")
    public Rom rom;

    @XmlElement(name = "address")
    public Address address;
}
