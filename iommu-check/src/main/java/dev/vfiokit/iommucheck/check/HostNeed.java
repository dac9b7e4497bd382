package dev.vfiokit.iommucheck.check;

import dev.vfiokit.iommucheck.host.PciAddress;

/** A device the host itself relies on, and why. */
public record HostNeed(PciAddress address, String why) {
    @Override
    public String toString() {
        return address + " " + why;
    }
}
