package dev.vfiokit.templates.xml;

import jakarta.xml.bind.annotation.XmlAccessType;
import jakarta.xml.bind.annotation.XmlAccessorType;
import jakarta.xml.bind.annotation.XmlElement;

/** A hostdev's host side: a PCI address, or an mdev UUID. */
@XmlAccessorType(XmlAccessType.FIELD)
public class HostdevSource {
    @XmlElement(name = "address")
    public Address address;
}
