package dev.vfiokit.templates.xml;

import jakarta.xml.bind.annotation.XmlAccessType;
import jakarta.xml.bind.annotation.XmlAccessorType;
import jakarta.xml.bind.annotation.XmlAttribute;
import jakarta.xml.bind.annotation.XmlElement;
import java.util.ArrayList;
import java.util.List;

/** Guest clock and timers. */
@XmlAccessorType(XmlAccessType.FIELD)
public class Clock {
    @XmlAttribute(name = "offset")
    public String offset;

    @XmlElement(name = "timer")
    public List<Timer> timers = new ArrayList<>();
}
