package dev.vfiokit.templates.xml;

import jakarta.xml.bind.annotation.XmlAccessType;
import jakarta.xml.bind.annotation.XmlAccessorType;
import jakarta.xml.bind.annotation.XmlAttribute;
import jakarta.xml.bind.annotation.XmlElement;

/** A virtio RNG. */
@XmlAccessorType(XmlAccessType.FIELD)
public class Rng {
    @XmlAttribute(name = "model")
    public String model;

    @XmlElement(name = "backend")
    public RngBackend backend;
}
