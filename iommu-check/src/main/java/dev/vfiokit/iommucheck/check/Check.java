package dev.vfiokit.iommucheck.check;

import dev.vfiokit.iommucheck.host.HostSnapshot;
import dev.vfiokit.iommucheck.host.PciDevice;

import java.util.List;

/** A pre-flight check: host-wide, or per target device (see {@link DeviceCheck}). */
public interface Check {
    List<Finding> run(HostSnapshot host, List<PciDevice> targets);
}
