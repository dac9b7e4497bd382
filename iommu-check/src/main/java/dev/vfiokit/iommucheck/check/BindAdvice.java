package dev.vfiokit.iommucheck.check;

import dev.vfiokit.iommucheck.host.HostSnapshot;
import dev.vfiokit.iommucheck.host.PciDevice;

import java.util.ArrayList;
import java.util.List;

/**
 * The advice to bind a device to vfio-pci, only where the bind would be accepted: not for a device without an IOMMU
 * group (the IOMMU is off), nor for one whose group holds a device the host needs; with {@code --force} and the reason
 * for a boot GPU, which bind refuses without it.
 */
final class BindAdvice {
    private BindAdvice() {
    }

    /** A bind command for the device's whole group (with {@code extra} words, e.g. --persist), or what to do first. */
    static String of(HostSnapshot host, PciDevice d, String... extra) {
        return of(host, d, List.of(), extra);
    }

    static String of(HostSnapshot host, PciDevice d, List<String> alsoDevices, String... extra) {
        if (d.iommuGroup() == null) {
            return "turn the IOMMU on first (see iommu.kernel): without IOMMU groups nothing can be bound to vfio-pci";
        }
        GroupAnalyzer groups = new GroupAnalyzer(host);
        boolean hostNeedsGroup = groups.of(d).map(g -> g.hostNeeded().stream()
                .anyMatch(h -> !h.address().sameSlot(d.address()))).orElse(false);
        if (hostNeedsGroup || groups.hostNeed(d).isPresent()) {
            return "its IOMMU group holds a device the host needs (see group.isolation): move the card to a slot with its own group first";
        }
        List<String> words = new ArrayList<>(List.of("bind", "--group", "--device", d.address().toString()));
        words.addAll(alsoDevices);
        words.addAll(List.of(extra));
        if (d.bootVga()) {
            words.add("--force");
        }
        return FixCommand.of(words.toArray(String[]::new))
                + (d.bootVga() ? " (the boot GPU: the host console goes with it, which --force accepts)" : "");
    }
}
