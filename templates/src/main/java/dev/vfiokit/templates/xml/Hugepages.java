package dev.vfiokit.templates.xml;

import jakarta.xml.bind.annotation.XmlAccessType;
import jakarta.xml.bind.annotation.XmlAccessorType;
import jakarta.xml.bind.annotation.XmlElement;
import java.util.ArrayList;
import java.util.List;

/** Hugepage backing. */
@XmlAccessorType(XmlAccessType.FIELD)
public class Hugepages {
    @XmlElement(name = "page")
    public List<Page> pages = new ArrayList<>();
}
