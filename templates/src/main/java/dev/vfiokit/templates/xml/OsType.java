package dev.vfiokit.templates.xml;

import jakarta.xml.bind.annotation.XmlAccessType;
import jakarta.xml.bind.annotation.XmlAccessorType;
import jakarta.xml.bind.annotation.XmlAttribute;
import jakarta.xml.bind.annotation.XmlValue;

/** Guest type, arch and machine ({@code <type arch="x86_64" machine="q35">hvm</type>}). */
@XmlAccessorType(XmlAccessType.FIELD)
public class OsType {
    @XmlAttribute(name = "arch")
    public String arch;

    @XmlAttribute(name = "machine")
    public String machine;

    @XmlValue
    public String value;
}
