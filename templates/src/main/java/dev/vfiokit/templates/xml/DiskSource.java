package dev.vfiokit.templates.xml;

import jakarta.xml.bind.annotation.XmlAccessType;
import jakarta.xml.bind.annotation.XmlAccessorType;
import jakarta.xml.bind.annotation.XmlAttribute;

/** Where a disk's data is. */
@XmlAccessorType(XmlAccessType.FIELD)
public class DiskSource {
    @XmlAttribute(name = "file")
    public String file;

    @XmlAttribute(name = "dev")
    public String dev;
}
