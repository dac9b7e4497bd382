package dev.vfiokit.templates.xml;

import jakarta.xml.bind.annotation.XmlAccessType;
import jakarta.xml.bind.annotation.XmlAccessorType;
import jakarta.xml.bind.annotation.XmlAttribute;
import jakarta.xml.bind.annotation.XmlValue;

/** An amount of memory with its unit ({@code <memory unit="KiB">}). */
@XmlAccessorType(XmlAccessType.FIELD)
public class Memory {
    @XmlAttribute(name = "unit")
    public String unit;

    @XmlValue
    public long value;

    public Memory() {
    }

    public Memory(long kib) {
        if (kib <= 0) {
            throw new IllegalArgumentException("memory must be positive, got " + kib + " KiB");
        }
        this.unit = "KiB";
        this.value = kib;
    }
}
