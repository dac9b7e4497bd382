package dev.vfiokit.templates.xml;

import jakarta.xml.bind.annotation.XmlAccessType;
import jakarta.xml.bind.annotation.XmlAccessorType;
import jakarta.xml.bind.annotation.XmlAttribute;

/** A device model ({@code <model type="virtio"/>}). */
@XmlAccessorType(XmlAccessType.FIELD)
public class Model {
    @XmlAttribute(name = "type")
    public String type;
}
