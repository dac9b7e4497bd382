package dev.vfiokit.templates.xml;

import jakarta.xml.bind.annotation.XmlAccessType;
import jakarta.xml.bind.annotation.XmlAccessorType;
import jakarta.xml.bind.annotation.XmlAttribute;

/** A watchdog device. */
@XmlAccessorType(XmlAccessType.FIELD)
public class Watchdog {
    @XmlAttribute(name = "model")
    public String model;

    @XmlAttribute(name = "action")
    public String action;
}
