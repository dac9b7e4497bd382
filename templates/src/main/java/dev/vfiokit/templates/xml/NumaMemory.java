package dev.vfiokit.templates.xml;

import jakarta.xml.bind.annotation.XmlAccessType;
import jakarta.xml.bind.annotation.XmlAccessorType;
import jakarta.xml.bind.annotation.XmlAttribute;

/** Where guest memory comes from ({@code <memory mode="strict" nodeset="1"/>}). */
@XmlAccessorType(XmlAccessType.FIELD)
public class NumaMemory {
    @XmlAttribute(name = "mode")
    public String mode;

    @XmlAttribute(name = "nodeset")
    public String nodeset;
}
