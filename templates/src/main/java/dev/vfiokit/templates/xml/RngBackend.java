package dev.vfiokit.templates.xml;

import jakarta.xml.bind.annotation.XmlAccessType;
import jakarta.xml.bind.annotation.XmlAccessorType;
import jakarta.xml.bind.annotation.XmlAttribute;
import jakarta.xml.bind.annotation.XmlValue;

/** Where guest entropy comes from. */
@XmlAccessorType(XmlAccessType.FIELD)
public class RngBackend {
    @XmlAttribute(name = "model")
    public String model;

    @XmlValue
    public String path;
}
