package dev.vfiokit.templates.xml;

import jakarta.xml.bind.annotation.XmlAccessType;
import jakarta.xml.bind.annotation.XmlAccessorType;
import jakarta.xml.bind.annotation.XmlAttribute;
import jakarta.xml.bind.annotation.XmlElement;

/** An interface's source: a network name, a bridge, or (type hostdev) a VF's PCI address. */
@XmlAccessorType(XmlAccessType.FIELD)
public class InterfaceSource {
    @XmlAttribute(name = "network")
    public String network;

    @XmlAttribute(name = "bridge")
    public String bridge;

    @XmlElement(name = "address")
    public Address address;
}
