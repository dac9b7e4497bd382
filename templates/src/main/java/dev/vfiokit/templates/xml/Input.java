package dev.vfiokit.templates.xml;

import jakarta.xml.bind.annotation.XmlAccessType;
import jakarta.xml.bind.annotation.XmlAccessorType;
import jakarta.xml.bind.annotation.XmlAttribute;

/** An input device (tablet, mouse, keyboard). */
@XmlAccessorType(XmlAccessType.FIELD)
public class Input {
    @XmlAttribute(name = "type")
    public String type;

    @XmlAttribute(name = "bus")
    public String bus;
}
