package dev.vfiokit.templates.xml;

import jakarta.xml.bind.annotation.XmlAccessType;
import jakarta.xml.bind.annotation.XmlAccessorType;
import jakarta.xml.bind.annotation.XmlAttribute;
import jakarta.xml.bind.annotation.XmlElement;

/** A TPM (Windows 11 wants 2.0). */
@XmlAccessorType(XmlAccessType.FIELD)
public class Tpm {
    @XmlAttribute(name = "model")
    public String model;

    @XmlElement(name = "backend")
    public TpmBackend backend;
}
