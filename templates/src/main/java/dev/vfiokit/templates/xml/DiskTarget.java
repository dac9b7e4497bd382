package dev.vfiokit.templates.xml;

import jakarta.xml.bind.annotation.XmlAccessType;
import jakarta.xml.bind.annotation.XmlAccessorType;
import jakarta.xml.bind.annotation.XmlAttribute;

/** How a disk appears to the guest. */
@XmlAccessorType(XmlAccessType.FIELD)
public class DiskTarget {
    @XmlAttribute(name = "dev")
    public String dev;

    @XmlAttribute(name = "bus")
    public String bus;
}
