package dev.vfiokit.templates.xml;

import jakarta.xml.bind.annotation.XmlAccessType;
import jakarta.xml.bind.annotation.XmlAccessorType;
import jakarta.xml.bind.annotation.XmlAttribute;
import jakarta.xml.bind.annotation.XmlElement;

/** Hyper-V enlightenments for Windows guests; vendor_id hides KVM from NVIDIA drivers (Code 43). */
@XmlAccessorType(XmlAccessType.FIELD)
public class Hyperv {
    @XmlAttribute(name = "mode")
    public String mode;

    @XmlElement(name = "relaxed")
    public State relaxed;

    @XmlElement(name = "vapic")
    public State vapic;

    @XmlElement(name = "spinlocks")
    public HypervValue spinlocks;

    @XmlElement(name = "vpindex")
    public State vpindex;

    @XmlElement(name = "runtime")
    public State runtime;

    @XmlElement(name = "synic")
    public State synic;

    @XmlElement(name = "stimer")
    public State stimer;

    @XmlElement(name = "reset")
    public State reset;

    @XmlElement(name = "vendor_id")
    public HypervValue vendorId;

    @XmlElement(name = "frequencies")
    public State frequencies;
}
