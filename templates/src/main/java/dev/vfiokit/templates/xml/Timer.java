package dev.vfiokit.templates.xml;

import jakarta.xml.bind.annotation.XmlAccessType;
import jakarta.xml.bind.annotation.XmlAccessorType;
import jakarta.xml.bind.annotation.XmlAttribute;

/** A clock timer ({@code <timer name="hpet" present="no"/>}). */
@XmlAccessorType(XmlAccessType.FIELD)
public class Timer {
    @XmlAttribute(name = "name")
    public String name;

    @XmlAttribute(name = "present")
    public String present;

    @XmlAttribute(name = "tickpolicy")
    public String tickpolicy;
}
