package dev.vfiokit.templates.xml;

import jakarta.xml.bind.annotation.XmlAccessType;
import jakarta.xml.bind.annotation.XmlAccessorType;
import jakarta.xml.bind.annotation.XmlElement;

/** NUMA memory policy. */
@XmlAccessorType(XmlAccessType.FIELD)
public class NumaTune {
    @XmlElement(name = "memory")
    public NumaMemory memory;
}
