package dev.vfiokit.templates.xml;

import jakarta.xml.bind.annotation.XmlAccessType;
import jakarta.xml.bind.annotation.XmlAccessorType;
import jakarta.xml.bind.annotation.XmlElement;
import java.util.ArrayList;
import java.util.List;

/** Guest NUMA cells. */
@XmlAccessorType(XmlAccessType.FIELD)
public class GuestNuma {
    @XmlElement(name = "cell")
    public List<NumaCell> cells = new ArrayList<>();
}
