package dev.vfiokit.templates.xml;

import jakarta.xml.bind.annotation.XmlAccessType;
import jakarta.xml.bind.annotation.XmlAccessorType;
import jakarta.xml.bind.annotation.XmlAttribute;

/** A hugepage size ({@code <page size="1" unit="G" nodeset="0"/>}). */
@XmlAccessorType(XmlAccessType.FIELD)
public class Page {
    @XmlAttribute(name = "size")
    public String size;

    @XmlAttribute(name = "unit")
    public String unit;

    @XmlAttribute(name = "nodeset")
    public String nodeset;
}
