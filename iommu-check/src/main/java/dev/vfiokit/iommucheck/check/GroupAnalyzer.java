package dev.vfiokit.iommucheck.check;

import dev.vfiokit.iommucheck.host.HostSnapshot;
import dev.vfiokit.iommucheck.host.IommuGroup;
import dev.vfiokit.iommucheck.host.PciDevice;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import dev.vfiokit.iommucheck.host.PciAddress;
import java.util.Optional;
import java.util.Set;

/** Works out viability, isolation and host-needed members of IOMMU groups. */
public final class GroupAnalyzer {
    /** Drivers that leave a group usable by vfio (they declare driver_managed_dma, or are vfio's own). */
    private static final Set<String> VFIO_FRIENDLY = Set.of("vfio-pci", "pci-stub", "pcieport");

    private final HostSnapshot host;
    private final Map<PciAddress, PciDevice> byAddress;
    private final HostNeeds needs;

    public GroupAnalyzer(HostSnapshot host) {
        this.host = host;
        this.byAddress = host.devicesByAddress();
        this.needs = new HostNeeds(host);
    }

    public List<GroupReport> all() {
        return host.groups().stream().map(this::analyse).toList();
    }

    public Optional<GroupReport> of(PciDevice device) {
        return device.iommuGroup() == null ? Optional.empty() : host.group(device.iommuGroup()).map(this::analyse);
    }

    public GroupReport analyse(IommuGroup group) {
        List<PciDevice> members = HostSnapshot.members(group, byAddress);
        List<PciDevice> blockers = new ArrayList<>();
        List<HostNeed> hostNeeded = new ArrayList<>();
        PciDevice firstEndpoint = null;
        boolean isolated = true;
        for (PciDevice m : members) {
            if (m.isBridge()) {
                continue;
            }
            if (firstEndpoint == null) {
                firstEndpoint = m;
            } else if (!m.address().sameSlot(firstEndpoint.address())) {
                isolated = false;
            }
            if (m.driver() != null && !VFIO_FRIENDLY.contains(m.driver())) {
                blockers.add(m);
            }
            hostNeed(m).ifPresent(why -> hostNeeded.add(new HostNeed(m.address(), why)));
        }
        return new GroupReport(group.id(), members, blockers.isEmpty(), isolated, blockers, hostNeeded);
    }

    /** Why the host needs this device, if it does ({@link HostNeeds}: its storage, its USB, its network path). */
    public Optional<String> hostNeed(PciDevice d) {
        return needs.of(d).map(HostNeeds.Need::why);
    }
}
