package dev.vfiokit.templates.xml;

import jakarta.xml.bind.annotation.XmlAccessType;
import jakarta.xml.bind.annotation.XmlAccessorType;
import jakarta.xml.bind.annotation.XmlAttribute;

/** A guest NUMA cell. */
@XmlAccessorType(XmlAccessType.FIELD)
public class NumaCell {
    @XmlAttribute(name = "id")
    public Integer id;

    @XmlAttribute(name = "cpus")
    public String cpus;

    @XmlAttribute(name = "memory")
    public Long memory;

    @XmlAttribute(name = "unit")
    public String unit;
}
