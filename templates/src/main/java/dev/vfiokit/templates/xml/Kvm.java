package dev.vfiokit.templates.xml;

import jakarta.xml.bind.annotation.XmlAccessType;
import jakarta.xml.bind.annotation.XmlAccessorType;
import jakarta.xml.bind.annotation.XmlElement;

/** KVM features: {@code <hidden state="on"/>} hides the hypervisor signature. */
@XmlAccessorType(XmlAccessType.FIELD)
public class Kvm {
    @XmlElement(name = "hidden")
    public State hidden;
}
