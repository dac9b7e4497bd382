package dev.vfiokit.templates.xml;

import jakarta.xml.bind.annotation.XmlAccessType;
import jakarta.xml.bind.annotation.XmlAccessorType;
import jakarta.xml.bind.annotation.XmlElement;
import java.util.ArrayList;
import java.util.List;

/** vCPU, emulator and I/O thread pinning. */
@XmlAccessorType(XmlAccessType.FIELD)
public class CpuTune {
    @XmlElement(name = "vcpupin")
    public List<VcpuPin> vcpupins = new ArrayList<>();

    @XmlElement(name = "emulatorpin")
    public CpuSet emulatorpin;

    @XmlElement(name = "iothreadpin")
    public List<CpuSet> iothreadpins = new ArrayList<>();
}
