package dev.vfiokit.templates.xml;

import jakarta.xml.bind.annotation.XmlAccessType;
import jakarta.xml.bind.annotation.XmlAccessorType;
import jakarta.xml.bind.annotation.XmlAttribute;

/** The option ROM: {@code bar="off"} hides it, {@code file} supplies a dumped VBIOS. */
@XmlAccessorType(XmlAccessType.FIELD)
public class Rom {
    @XmlAttribute(name = "bar")
    public String bar;

    @XmlAttribute(name = "file")
    public String file;
}
