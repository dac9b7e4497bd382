package dev.vfiokit.templates.xml;

import jakarta.xml.bind.annotation.XmlAccessType;
import jakarta.xml.bind.annotation.XmlAccessorType;
import jakarta.xml.bind.annotation.XmlAttribute;

/** One vCPU pinned to host CPUs ({@code <vcpupin vcpu="0" cpuset="4,36"/>}). */
@XmlAccessorType(XmlAccessType.FIELD)
public class VcpuPin {
    @XmlAttribute(name = "vcpu")
    public Integer vcpu;

    @XmlAttribute(name = "cpuset")
    public String cpuset;
}
