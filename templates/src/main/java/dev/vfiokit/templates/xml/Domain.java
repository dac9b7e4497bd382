package dev.vfiokit.templates.xml;

import jakarta.xml.bind.annotation.XmlAccessType;
import jakarta.xml.bind.annotation.XmlAccessorType;
import jakarta.xml.bind.annotation.XmlAnyElement;
import jakarta.xml.bind.annotation.XmlAttribute;
import jakarta.xml.bind.annotation.XmlElement;
import jakarta.xml.bind.annotation.XmlRootElement;
import jakarta.xml.bind.annotation.XmlType;
import org.w3c.dom.Element;

import java.util.ArrayList;
import java.util.List;

/**
 * A libvirt domain, the part of the format vfiokit writes (https://libvirt.org/formatdomain.html). The same
 * classes read a template's skeleton and write the result; elements not modelled are kept.
 */
@XmlRootElement(name = "domain")
@XmlAccessorType(XmlAccessType.FIELD)
@XmlType(propOrder = {"name", "uuid", "title", "description", "memory", "currentMemory", "memtune", "vcpu", "iothreads", "cputune",
        "numatune", "memoryBacking", "os", "features", "cpu", "clock", "onPoweroff", "onReboot", "onCrash", "devices",
        "other"})
public class Domain {
    @XmlAttribute(name = "type")
    public String type;

    @XmlElement(name = "name")
    public String name;

    @XmlElement(name = "uuid")
    public String uuid;

    @XmlElement(name = "title")
    public String title;

    @XmlElement(name = "description")
    public String description;

    @XmlElement(name = "memory")
    public Memory memory;

    @XmlElement(name = "currentMemory")
    public Memory currentMemory;

    @XmlElement(name = "memtune")
    public Memtune memtune;

    @XmlElement(name = "vcpu")
    public Vcpu vcpu;

    @XmlElement(name = "iothreads")
    public Integer iothreads;

    @XmlElement(name = "cputune")
    public CpuTune cputune;

    @XmlElement(name = "numatune")
    public NumaTune numatune;

    @XmlElement(name = "memoryBacking")
    public MemoryBacking memoryBacking;

    @XmlElement(name = "os")
    public Os os;

    @XmlElement(name = "features")
    public Features features;

    @XmlElement(name = "cpu")
    public Cpu cpu;

    @XmlElement(name = "clock")
    public Clock clock;

    @XmlElement(name = "on_poweroff")
    public String onPoweroff;

    @XmlElement(name = "on_reboot")
    public String onReboot;

    @XmlElement(name = "on_crash")
    public String onCrash;

    @XmlElement(name = "devices")
    public Devices devices = new Devices();

    @XmlAnyElement
    public List<Element> other = new ArrayList<>();
}
