package dev.vfiokit.templates.xml;

import jakarta.xml.bind.annotation.XmlAccessType;
import jakarta.xml.bind.annotation.XmlAccessorType;
import jakarta.xml.bind.annotation.XmlAttribute;

/** A thread pinned to host CPUs ({@code <emulatorpin cpuset="0-1"/>}, {@code <iothreadpin iothread="1" cpuset="2"/>}). */
@XmlAccessorType(XmlAccessType.FIELD)
public class CpuSet {
    @XmlAttribute(name = "iothread")
    public Integer iothread;

    @XmlAttribute(name = "cpuset")
    public String cpuset;
}
