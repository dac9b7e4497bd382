package dev.vfiokit.templates.xml;

import jakarta.xml.bind.annotation.XmlAccessType;
import jakarta.xml.bind.annotation.XmlAccessorType;
import jakarta.xml.bind.annotation.XmlAttribute;

/** A sound card. */
@XmlAccessorType(XmlAccessType.FIELD)
public class Sound {
    @XmlAttribute(name = "model")
    public String model;
}
