package dev.vfiokit.templates.xml;

import jakarta.xml.bind.annotation.XmlAccessType;
import jakarta.xml.bind.annotation.XmlAccessorType;
import jakarta.xml.bind.annotation.XmlAnyElement;
import jakarta.xml.bind.annotation.XmlElement;
import jakarta.xml.bind.annotation.XmlType;
import org.w3c.dom.Element;

import java.util.ArrayList;
import java.util.List;

/** The devices of a domain. Elements vfiokit does not model are kept as they are. */
@XmlAccessorType(XmlAccessType.FIELD)
@XmlType(propOrder = {"emulator", "disks", "controllers", "interfaces", "hostdevs", "serials", "consoles", "channels",
        "inputs", "graphics", "sounds", "videos", "watchdog", "memballoon", "rngs", "tpm", "other"})
public class Devices {
    @XmlElement(name = "emulator")
    public String emulator;

    @XmlElement(name = "disk")
    public List<Disk> disks = new ArrayList<>();

    @XmlElement(name = "controller")
    public List<Controller> controllers = new ArrayList<>();

    @XmlElement(name = "interface")
    public List<Interface> interfaces = new ArrayList<>();

    @XmlElement(name = "hostdev")
    public List<Hostdev> hostdevs = new ArrayList<>();

    @XmlElement(name = "serial")
    public List<CharDevice> serials = new ArrayList<>();

    @XmlElement(name = "console")
    public List<CharDevice> consoles = new ArrayList<>();

    @XmlElement(name = "channel")
    public List<CharDevice> channels = new ArrayList<>();

    @XmlElement(name = "input")
    public List<Input> inputs = new ArrayList<>();

    @XmlElement(name = "graphics")
    public List<Graphics> graphics = new ArrayList<>();

    @XmlElement(name = "sound")
    public List<Sound> sounds = new ArrayList<>();

    @XmlElement(name = "video")
    public List<Video> videos = new ArrayList<>();

    @XmlElement(name = "watchdog")
    public Watchdog watchdog;

    @XmlElement(name = "memballoon")
    public MemBalloon memballoon;

    @XmlElement(name = "rng")
    public List<Rng> rngs = new ArrayList<>();

    @XmlElement(name = "tpm")
    public Tpm tpm;

    @XmlAnyElement
    public List<Element> other = new ArrayList<>();
}
