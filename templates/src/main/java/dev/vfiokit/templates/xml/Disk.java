package dev.vfiokit.templates.xml;

import jakarta.xml.bind.annotation.XmlAccessType;
import jakarta.xml.bind.annotation.XmlAccessorType;
import jakarta.xml.bind.annotation.XmlAttribute;
import jakarta.xml.bind.annotation.XmlElement;

/** A disk ({@code <disk type="file" device="disk">}). */
@XmlAccessorType(XmlAccessType.FIELD)
public class Disk {
    @XmlAttribute(name = "type")
    public String type;

    @XmlAttribute(name = "device")
    public String device;

    @XmlElement(name = "driver")
    public DriverName driver;

    @XmlElement(name = "source")
    public DiskSource source;

    @XmlElement(name = "target")
    public DiskTarget target;
}
