package dev.vfiokit.templates.xml;

import jakarta.xml.bind.annotation.XmlAccessType;
import jakarta.xml.bind.annotation.XmlAccessorType;
import jakarta.xml.bind.annotation.XmlAttribute;

/** Guest CPU topology; sockets x dies x cores x threads must equal the vCPU count. */
@XmlAccessorType(XmlAccessType.FIELD)
public class CpuTopology {
    @XmlAttribute(name = "sockets")
    public Integer sockets;

    @XmlAttribute(name = "dies")
    public Integer dies;

    @XmlAttribute(name = "cores")
    public Integer cores;

    @XmlAttribute(name = "threads")
    public Integer threads;
}
