package dev.vfiokit.templates.xml;

import jakarta.xml.bind.annotation.XmlAccessType;
import jakarta.xml.bind.annotation.XmlAccessorType;
import jakarta.xml.bind.annotation.XmlAttribute;

/** A video card model. */
@XmlAccessorType(XmlAccessType.FIELD)
public class VideoModel {
    @XmlAttribute(name = "type")
    public String type;

    @XmlAttribute(name = "vram")
    public Integer vram;

    @XmlAttribute(name = "heads")
    public Integer heads;

    @XmlAttribute(name = "primary")
    public String primary;
}
