package dev.vfiokit.templates.xml;

import jakarta.xml.bind.annotation.XmlAccessType;
import jakarta.xml.bind.annotation.XmlAccessorType;
import jakarta.xml.bind.annotation.XmlAttribute;
import jakarta.xml.bind.annotation.XmlElement;

/** A controller: pcie-root, pcie-root-port, usb, scsi, virtio-serial. */
@XmlAccessorType(XmlAccessType.FIELD)
public class Controller {
    @XmlAttribute(name = "type")
    public String type;

    @XmlAttribute(name = "index")
    public Integer index;

    @XmlAttribute(name = "model")
    public String model;

    @XmlElement(name = "driver")
    public DriverName driver;

    public static Controller of(String type, Integer index, String model) {
        Controller c = new Controller();
        c.type = type;
        c.index = index;
        c.model = model;
        return c;
    }
}
