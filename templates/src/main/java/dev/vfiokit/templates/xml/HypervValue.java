package dev.vfiokit.templates.xml;

import jakarta.xml.bind.annotation.XmlAccessType;
import jakarta.xml.bind.annotation.XmlAccessorType;
import jakarta.xml.bind.annotation.XmlAttribute;

/** A Hyper-V enlightenment with a value ({@code <vendor_id state="on" value="vfiokit"/>}, {@code <spinlocks state="on" retries="8191"/>}). */
@XmlAccessorType(XmlAccessType.FIELD)
public class HypervValue {
    @XmlAttribute(name = "state")
    public String state;

    @XmlAttribute(name = "value")
    public String value;

    @XmlAttribute(name = "retries")
    public Integer retries;
}
