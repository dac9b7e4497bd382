package dev.vfiokit.templates.xml;

import jakarta.xml.bind.annotation.XmlAccessType;
import jakarta.xml.bind.annotation.XmlAccessorType;
import jakarta.xml.bind.annotation.XmlAttribute;

/** A display (spice, vnc). */
@XmlAccessorType(XmlAccessType.FIELD)
public class Graphics {
    @XmlAttribute(name = "type")
    public String type;

    @XmlAttribute(name = "autoport")
    public String autoport;
}
