package dev.vfiokit.templates.xml;

import jakarta.xml.bind.annotation.XmlAccessType;
import jakarta.xml.bind.annotation.XmlAccessorType;
import jakarta.xml.bind.annotation.XmlElement;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code <os firmware='efi'><firmware>}: the features the OVMF build libvirt picks must have (Secure Boot,
 * enrolled keys), so the choice does not depend on the order of the distribution's firmware descriptors.
 */
@XmlAccessorType(XmlAccessType.FIELD)
public class Firmware {
    @XmlElement(name = "feature")
    public List<FirmwareFeature> features = new ArrayList<>();
}
