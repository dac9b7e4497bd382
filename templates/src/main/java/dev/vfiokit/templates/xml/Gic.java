package dev.vfiokit.templates.xml;

import jakarta.xml.bind.annotation.XmlAccessType;
import jakarta.xml.bind.annotation.XmlAccessorType;
import jakarta.xml.bind.annotation.XmlAttribute;

/** The ARM interrupt controller of an aarch64 guest ({@code <gic version="3"/>}; "host" takes the host's under KVM). */
@XmlAccessorType(XmlAccessType.FIELD)
public class Gic {
    @XmlAttribute(name = "version")
    public String version;
}
