package dev.vfiokit.templates.xml;

import jakarta.xml.bind.annotation.XmlAccessType;
import jakarta.xml.bind.annotation.XmlAccessorType;
import jakarta.xml.bind.annotation.XmlAttribute;

/** TPM emulation backend (swtpm). */
@XmlAccessorType(XmlAccessType.FIELD)
public class TpmBackend {
    @XmlAttribute(name = "type")
    public String type;

    @XmlAttribute(name = "version")
    public String version;
}
