package dev.vfiokit.templates.xml;

import jakarta.xml.bind.annotation.XmlAccessType;
import jakarta.xml.bind.annotation.XmlAccessorType;
import jakarta.xml.bind.annotation.XmlAttribute;
import jakarta.xml.bind.annotation.XmlElement;

/** A serial port, console or channel ({@code type="pty"}, {@code "unix"}, {@code "spicevmc"}). */
@XmlAccessorType(XmlAccessType.FIELD)
public class CharDevice {
    @XmlAttribute(name = "type")
    public String type;

    @XmlElement(name = "target")
    public CharTarget target;

    public static CharDevice of(String type, String targetType, Integer port, String name) {
        CharDevice c = new CharDevice();
        c.type = type;
        c.target = new CharTarget();
        c.target.type = targetType;
        c.target.port = port;
        c.target.name = name;
        return c;
    }
}
