package dev.vfiokit.templates.xml;

import jakarta.xml.bind.annotation.XmlAccessType;
import jakarta.xml.bind.annotation.XmlAccessorType;
import jakarta.xml.bind.annotation.XmlAttribute;

/** A device driver choice ({@code <driver name="vfio"/>}; for disks with cache/io/iothread; for NICs queues). */
@XmlAccessorType(XmlAccessType.FIELD)
public class DriverName {
    @XmlAttribute(name = "name")
    public String name;

    @XmlAttribute(name = "type")
    public String type;

    @XmlAttribute(name = "cache")
    public String cache;

    @XmlAttribute(name = "io")
    public String io;

    @XmlAttribute(name = "iothread")
    public Integer iothread;

    @XmlAttribute(name = "queues")
    public Integer queues;

    /** A hostdev's VFIO variant driver (libvirt 10.0+): {@code <driver name='vfio' model='mlx5_vfio_pci'/>}. */
    @XmlAttribute(name = "model")
    public String model;

    /** A hostdev through iommufd and the VFIO cdev (libvirt 12.1+): {@code <driver name='vfio' iommufd='yes'/>}. */
    @XmlAttribute(name = "iommufd")
    public String iommufd;
}
