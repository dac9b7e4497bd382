package dev.vfiokit.templates.xml;

import jakarta.xml.bind.annotation.XmlAccessType;
import jakarta.xml.bind.annotation.XmlAccessorType;
import jakarta.xml.bind.annotation.XmlAttribute;

/** The memory balloon; {@code model="none"} for passthrough guests, whose memory is pinned anyway. */
@XmlAccessorType(XmlAccessType.FIELD)
public class MemBalloon {
    @XmlAttribute(name = "model")
    public String model;
}
