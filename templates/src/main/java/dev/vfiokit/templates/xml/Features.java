package dev.vfiokit.templates.xml;

import jakarta.xml.bind.annotation.XmlAccessType;
import jakarta.xml.bind.annotation.XmlAccessorType;
import jakarta.xml.bind.annotation.XmlElement;
import jakarta.xml.bind.annotation.XmlType;

/** Machine features. */
@XmlAccessorType(XmlAccessType.FIELD)
@XmlType(propOrder = {"acpi", "apic", "hyperv", "kvm", "pmu", "vmport", "smm", "ioapic", "gic"})
public class Features {
    @XmlElement(name = "acpi")
    public Flag acpi;

    @XmlElement(name = "apic")
    public Flag apic;

    @XmlElement(name = "hyperv")
    public Hyperv hyperv;

    @XmlElement(name = "kvm")
    public Kvm kvm;

    @XmlElement(name = "pmu")
    public State pmu;

    @XmlElement(name = "vmport")
    public State vmport;

    @XmlElement(name = "smm")
    public State smm;

    @XmlElement(name = "ioapic")
    public Ioapic ioapic;

    @XmlElement(name = "gic")
    public Gic gic;
}
