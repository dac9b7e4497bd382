package dev.vfiokit.iommucheck.check;

import dev.vfiokit.iommucheck.host.HostSnapshot;
import dev.vfiokit.iommucheck.host.PciDevice;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The target's IOMMU group: what must move to vfio with it, and whether the host would lose something it needs. */
public final class GroupIsolationCheck implements DeviceCheck {
    private static final String ID = "group.isolation";

    @Override
    public Finding check(HostSnapshot host, PciDevice device) {
        String subject = device.address().toString();
        Optional<GroupReport> report = new GroupAnalyzer(host).of(device);
        if (report.isEmpty()) {
            return new Finding(ID, Severity.FAIL, subject, "not in an IOMMU group: it cannot be assigned with vfio",
                    "turn the IOMMU on (see iommu.kernel)", List.of("no iommu_group link"));
        }
        GroupReport g = report.get();
        Optional<String> itself = new GroupAnalyzer(host).hostNeed(device);
        if (itself.isPresent()) {
            return new Finding(ID, Severity.FAIL, subject, "the host needs this device: it " + itself.get()
                    + "; vfiokit refuses to bind it or pass it to a guest",
                    device.isStorage() || device.isUsb() ? "pass a device the host does not run on; a spare controller the "
                            + "host only holds by driver can be bound to vfio-pci first (bind refuses one anything is mounted from)"
                            : "pass a device the host does not run on", List.of("IOMMU group " + g.id()));
        }
        List<String> ev = new ArrayList<>();
        for (PciDevice m : g.members()) {
            ev.add("group " + g.id() + ": " + m.address() + " [" + m.ids() + "] " + m.classWord()
                    + (m.isBridge() ? " (bridge, stays with the host)" : "") + " driver=" + (m.driver() == null ? "none" : m.driver()));
        }
        List<String> mustMove = g.members().stream()
                .filter(m -> !m.isBridge() && !m.address().equals(device.address()) && !m.boundToVfio())
                .map(m -> m.address().toString()).toList();
        String bind = BindAdvice.of(host, device);
        // the target's own functions (a GPU's USB-C controller) go with it; they are not the host's
        List<String> hostNeeded = g.hostNeeded().stream().filter(h -> !h.address().sameSlot(device.address()))
                .map(HostNeed::toString).toList();
        if (!hostNeeded.isEmpty()) {
            return new Finding(ID, Severity.FAIL, subject, "IOMMU group " + g.id() + " also holds devices the host needs: "
                    + String.join("; ", hostNeeded),
                    "move the card to a slot with its own group (CPU-attached slots usually are); the ACS override patch "
                            + "splits groups only by ignoring isolation and is a security risk", ev);
        }
        if (!g.isolated()) {
            return new Finding(ID, Severity.WARN, subject, "IOMMU group " + g.id() + " is shared with other devices: "
                    + String.join(", ", mustMove) + " must go to vfio too",
                    bind + " (all of them go to one guest), or move the card to a slot with its own group", ev);
        }
        String msg = "IOMMU group " + g.id() + " is isolated"
                + (mustMove.isEmpty() ? "" : "; its other functions must go to vfio too: " + String.join(", ", mustMove));
        return new Finding(ID, Severity.PASS, subject, msg, mustMove.isEmpty() ? "" : bind, ev);
    }
}
