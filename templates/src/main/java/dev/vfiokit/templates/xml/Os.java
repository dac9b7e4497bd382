package dev.vfiokit.templates.xml;

import jakarta.xml.bind.annotation.XmlAccessType;
import jakarta.xml.bind.annotation.XmlAccessorType;
import jakarta.xml.bind.annotation.XmlAttribute;
import jakarta.xml.bind.annotation.XmlElement;
import java.util.ArrayList;
import java.util.List;

/** Firmware and boot: {@code firmware="efi"} lets libvirt pick OVMF. */
@XmlAccessorType(XmlAccessType.FIELD)
public class Os {
    @XmlAttribute(name = "firmware")
    public String firmware;

    @XmlElement(name = "type")
    public OsType type;

    @XmlElement(name = "firmware")
    public Firmware features;

    @XmlElement(name = "boot")
    public List<Boot> boots = new ArrayList<>();
}
