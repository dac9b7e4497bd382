package dev.vfiokit.iommucheck.check;

import dev.vfiokit.iommucheck.host.HostSnapshot;
import dev.vfiokit.iommucheck.host.PciDevice;

import java.util.List;

/** The option ROM: UEFI guests need the GPU's ROM to initialise it. */
public final class RomCheck implements DeviceCheck {
    @Override
    public Finding check(HostSnapshot host, PciDevice d) {
        String subject = d.address().toString();
        List<String> ev = List.of("rom: " + (d.hasRom() ? "present" : "absent"));
        if (d.hasRom()) {
            return Finding.pass("device.rom", subject, "option ROM exposed", ev);
        }
        if (!d.isGpu()) {
            return new Finding("device.rom", Severity.SKIP, subject, "no option ROM (not needed for a non-display device)", "", ev);
        }
        return new Finding("device.rom", Severity.WARN, subject, "no option ROM exposed: a UEFI guest may not initialise the GPU",
                "dump the VBIOS on a host where the card is secondary (or from the vendor) and give it as "
                        + "<rom file='/usr/share/vgabios/card.rom'/>", ev);
    }
}
