package dev.vfiokit.templates.xml;

import jakarta.xml.bind.annotation.XmlAccessType;
import jakarta.xml.bind.annotation.XmlAccessorType;
import jakarta.xml.bind.annotation.XmlAttribute;
import jakarta.xml.bind.annotation.XmlValue;

/** The number of vCPUs ({@code <vcpu placement="static">8</vcpu>}). */
@XmlAccessorType(XmlAccessType.FIELD)
public class Vcpu {
    @XmlAttribute(name = "placement")
    public String placement;

    @XmlAttribute(name = "cpuset")
    public String cpuset;

    @XmlValue
    public int count;

    public Vcpu() {
    }

    public Vcpu(int count) {
        if (count < 1 || count > 4096) {
            throw new IllegalArgumentException("vCPUs must be between 1 and 4096, got " + count);
        }
        this.placement = "static";
        this.count = count;
    }
}
