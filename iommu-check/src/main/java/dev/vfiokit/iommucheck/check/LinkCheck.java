package dev.vfiokit.iommucheck.check;

import dev.vfiokit.iommucheck.host.HostSnapshot;
import dev.vfiokit.iommucheck.host.PciDevice;
import dev.vfiokit.iommucheck.host.PcieLink;

import java.util.List;

/** PCIe link running below what the card can do (a x16 Gen4 card at x8 Gen3 loses three quarters). */
public final class LinkCheck implements DeviceCheck {
    @Override
    public Finding check(HostSnapshot host, PciDevice d) {
        String subject = d.address().toString();
        PcieLink link = d.link();
        if (link == null) {
            return new Finding("device.link", Severity.SKIP, subject, "no PCIe link information (not PCIe, or a virtual function)",
                    "", List.of("max_link_speed absent"));
        }
        List<String> ev = List.of("current " + link.describeCurrent(), "capable " + link.describeMax());
        if (link.narrowerThanCapable()) {
            return new Finding("device.link", Severity.WARN, subject, "link runs at x" + link.currentWidth() + ", the card is x"
                    + link.maxWidth(), "seat the card in a full-width slot (lanes shared with another slot or M.2 drop it), "
                    + "check riser/cable", ev);
        }
        if (link.slowerThanCapable()) {
            return new Finding("device.link", Severity.WARN, subject, "link runs at Gen" + PcieLink.generation(link.currentSpeed())
                    + ", the card can do Gen" + PcieLink.generation(link.maxSpeed()),
                    "GPUs drop speed when idle to save power: check again under load; if it stays low, check the slot's "
                            + "generation in firmware and the riser", ev);
        }
        return Finding.pass("device.link", subject, "link at full capability " + link.describeCurrent(), ev);
    }
}
