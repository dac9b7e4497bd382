package dev.vfiokit.templates.xml;

import jakarta.xml.bind.annotation.XmlAccessType;
import jakarta.xml.bind.annotation.XmlAccessorType;
import jakarta.xml.bind.annotation.XmlAttribute;

/** A MAC address, checked when set. */
@XmlAccessorType(XmlAccessType.FIELD)
public class Mac {
    @XmlAttribute(name = "address")
    public String address;

    public Mac() {
    }

    public Mac(String address) {
        if (address == null || !address.matches("(?i)[0-9a-f]{2}(:[0-9a-f]{2}){5}")) {
            throw new IllegalArgumentException("not a MAC address: '" + address + "' (expected e.g. 52:54:00:12:34:56)");
        }
        if ((Integer.parseInt(address.substring(0, 2), 16) & 1) == 1) {
            throw new IllegalArgumentException("MAC " + address + " is a multicast address; a NIC needs a unicast one");
        }
        this.address = address.toLowerCase();
    }
}
