package dev.vfiokit.templates.xml;

import jakarta.xml.bind.annotation.XmlAccessType;
import jakarta.xml.bind.annotation.XmlAccessorType;
import jakarta.xml.bind.annotation.XmlAttribute;

/** Where a serial/console/channel appears in the guest. */
@XmlAccessorType(XmlAccessType.FIELD)
public class CharTarget {
    @XmlAttribute(name = "type")
    public String type;

    @XmlAttribute(name = "port")
    public Integer port;

    @XmlAttribute(name = "name")
    public String name;
}
