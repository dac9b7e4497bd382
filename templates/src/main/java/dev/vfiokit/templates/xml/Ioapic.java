package dev.vfiokit.templates.xml;

import jakarta.xml.bind.annotation.XmlAccessType;
import jakarta.xml.bind.annotation.XmlAccessorType;
import jakarta.xml.bind.annotation.XmlAttribute;

/** Which I/O APIC emulates ({@code <ioapic driver="kvm"/>}). */
@XmlAccessorType(XmlAccessType.FIELD)
public class Ioapic {
    @XmlAttribute(name = "driver")
    public String driver;
}
