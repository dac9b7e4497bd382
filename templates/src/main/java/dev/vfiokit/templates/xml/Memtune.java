package dev.vfiokit.templates.xml;

import jakarta.xml.bind.annotation.XmlAccessType;
import jakarta.xml.bind.annotation.XmlAccessorType;
import jakarta.xml.bind.annotation.XmlElement;

/** {@code <memtune><hard_limit unit='KiB'>}: with VFIO devices, also the RLIMIT_MEMLOCK libvirt gives QEMU. */
@XmlAccessorType(XmlAccessType.FIELD)
public class Memtune {
    @XmlElement(name = "hard_limit")
    public Memory hardLimit;
}
