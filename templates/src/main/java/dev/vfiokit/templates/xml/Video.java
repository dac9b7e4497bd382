package dev.vfiokit.templates.xml;

import jakarta.xml.bind.annotation.XmlAccessType;
import jakarta.xml.bind.annotation.XmlAccessorType;
import jakarta.xml.bind.annotation.XmlElement;

/** A video device. */
@XmlAccessorType(XmlAccessType.FIELD)
public class Video {
    @XmlElement(name = "model")
    public VideoModel model;
}
