package dev.vfiokit.vfio;

import dev.vfiokit.iommucheck.host.PciAddress;

/** What a device looked like before a change: its driver and driver_override (null: none). */
public record DeviceState(PciAddress address, String driver, String driverOverride) {
}
