package dev.vfiokit.templates.xml;

import jakarta.xml.bind.annotation.XmlAccessType;
import jakarta.xml.bind.annotation.XmlAccessorType;
import jakarta.xml.bind.annotation.XmlAttribute;

/** A boot device ({@code <boot dev="hd"/>}). */
@XmlAccessorType(XmlAccessType.FIELD)
public class Boot {
    @XmlAttribute(name = "dev")
    public String dev;
}
