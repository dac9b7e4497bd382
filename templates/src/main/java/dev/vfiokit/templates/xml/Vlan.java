package dev.vfiokit.templates.xml;

import jakarta.xml.bind.annotation.XmlAccessType;
import jakarta.xml.bind.annotation.XmlAccessorType;
import jakarta.xml.bind.annotation.XmlElement;
import java.util.ArrayList;
import java.util.List;

/** VLAN tagging of a hostdev interface. */
@XmlAccessorType(XmlAccessType.FIELD)
public class Vlan {
    @XmlElement(name = "tag")
    public List<VlanTag> tags = new ArrayList<>();
}
