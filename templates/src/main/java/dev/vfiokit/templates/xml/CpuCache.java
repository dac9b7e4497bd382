package dev.vfiokit.templates.xml;

import jakarta.xml.bind.annotation.XmlAccessType;
import jakarta.xml.bind.annotation.XmlAccessorType;
import jakarta.xml.bind.annotation.XmlAttribute;

/** CPU cache model ({@code <cache mode="passthrough"/>}). */
@XmlAccessorType(XmlAccessType.FIELD)
public class CpuCache {
    @XmlAttribute(name = "mode")
    public String mode;
}
