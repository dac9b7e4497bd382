package dev.vfiokit.iommucheck.check;

import dev.vfiokit.iommucheck.host.HostSnapshot;
import dev.vfiokit.iommucheck.host.PciDevice;

import java.util.List;

/** A check that looks at each target device on its own. */
public interface DeviceCheck extends Check {

    Finding check(HostSnapshot host, PciDevice device);

    @Override
    default List<Finding> run(HostSnapshot host, List<PciDevice> targets) {
        return targets.stream().map(d -> check(host, d)).toList();
    }
}
