package dev.vfiokit.templates.xml;

import jakarta.xml.bind.annotation.XmlAccessType;
import jakarta.xml.bind.annotation.XmlAccessorType;
import jakarta.xml.bind.annotation.XmlElement;

/** Hugepages and locked memory. */
@XmlAccessorType(XmlAccessType.FIELD)
public class MemoryBacking {
    @XmlElement(name = "hugepages")
    public Hugepages hugepages;

    @XmlElement(name = "locked")
    public Flag locked;
}
