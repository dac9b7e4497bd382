package dev.vfiokit.iommucheck.check;

import dev.vfiokit.iommucheck.host.PciDevice;

import java.util.List;

/**
 * An IOMMU group as vfio sees it. {@code viable}: vfio would accept the group now (no member is held by a
 * host driver). {@code isolated}: every non-bridge member is a function of one physical device, so passing
 * that device drags nothing else along. {@code blockers}: non-bridge members held by a host driver.
 * {@code hostNeeded}: members the host itself relies on, with why.
 */
public record GroupReport(int id, List<PciDevice> members, boolean viable, boolean isolated,
                          List<PciDevice> blockers, List<HostNeed> hostNeeded) {
    public GroupReport {
        members = List.copyOf(members);
        blockers = List.copyOf(blockers);
        hostNeeded = List.copyOf(hostNeeded);
    }
}
