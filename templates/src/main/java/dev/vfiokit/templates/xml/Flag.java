package dev.vfiokit.templates.xml;

import jakarta.xml.bind.annotation.XmlAccessType;
import jakarta.xml.bind.annotation.XmlAccessorType;

/** An empty element whose presence is the setting: {@code <acpi/>}, {@code <locked/>}. */
@XmlAccessorType(XmlAccessType.FIELD)
public class Flag {

}
