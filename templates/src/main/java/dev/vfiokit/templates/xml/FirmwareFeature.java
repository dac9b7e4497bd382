package dev.vfiokit.templates.xml;

import jakarta.xml.bind.annotation.XmlAccessType;
import jakarta.xml.bind.annotation.XmlAccessorType;
import jakarta.xml.bind.annotation.XmlAttribute;

/** A firmware feature libvirt matches OVMF builds by: {@code <feature enabled='no' name='secure-boot'/>}. */
@XmlAccessorType(XmlAccessType.FIELD)
public class FirmwareFeature {
    @XmlAttribute(name = "enabled")
    public String enabled;

    @XmlAttribute(name = "name")
    public String name;
}
