package dev.vfiokit.templates.xml;

import jakarta.xml.bind.annotation.XmlAccessType;
import jakarta.xml.bind.annotation.XmlAccessorType;
import jakarta.xml.bind.annotation.XmlAttribute;
import jakarta.xml.bind.annotation.XmlElement;

/** Guest CPU model: {@code host-passthrough} for passthrough guests. */
@XmlAccessorType(XmlAccessType.FIELD)
public class Cpu {
    @XmlAttribute(name = "mode")
    public String mode;

    @XmlAttribute(name = "check")
    public String check;

    @XmlAttribute(name = "migratable")
    public String migratable;

    @XmlElement(name = "topology")
    public CpuTopology topology;

    @XmlElement(name = "cache")
    public CpuCache cache;

    @XmlElement(name = "numa")
    public GuestNuma numa;
}
