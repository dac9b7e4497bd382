package dev.vfiokit.templates.xml;

import jakarta.xml.bind.annotation.XmlAccessType;
import jakarta.xml.bind.annotation.XmlAccessorType;
import jakarta.xml.bind.annotation.XmlAttribute;
import jakarta.xml.bind.annotation.XmlElement;

/** A NIC; type hostdev passes an SR-IOV VF with its MAC and VLAN set by libvirt. */
@XmlAccessorType(XmlAccessType.FIELD)
public class Interface {
    @XmlAttribute(name = "type")
    public String type;

    @XmlAttribute(name = "managed")
    public String managed;

    @XmlElement(name = "mac")
    public Mac mac;

    @XmlElement(name = "source")
    public InterfaceSource source;

    @XmlElement(name = "vlan")
    public Vlan vlan;

    @XmlElement(name = "model")
    public Model model;

    @XmlElement(name = "driver")
    public DriverName driver;

    @XmlElement(name = "address")
    public Address address;
}
