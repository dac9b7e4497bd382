package dev.vfiokit.templates.xml;

import jakarta.xml.bind.annotation.XmlAccessType;
import jakarta.xml.bind.annotation.XmlAccessorType;
import jakarta.xml.bind.annotation.XmlAttribute;

/** A VLAN id, 0-4095. */
@XmlAccessorType(XmlAccessType.FIELD)
public class VlanTag {
    @XmlAttribute(name = "id")
    public Integer id;

    public VlanTag() {
    }

    public VlanTag(int id) {
        if (id < 0 || id > 4095) {
            throw new IllegalArgumentException("VLAN id must be 0-4095, got " + id);
        }
        this.id = id;
    }
}
