package dev.vfiokit.iommucheck.host;

import java.util.List;

/**
 * SR-IOV state of a physical function: VFs it can have, VFs enabled, their addresses, and the VFs' device id
 * ({@code sriov_vf_device}, null where unknown): what the VFs will be before they exist.
 */
public record Sriov(int totalVfs, int numVfs, List<PciAddress> virtfns, Boolean driversAutoprobe, Integer vfDeviceId) {
    public Sriov {
        virtfns = List.copyOf(virtfns);
    }

    public Sriov(int totalVfs, int numVfs, List<PciAddress> virtfns, Boolean driversAutoprobe) {
        this(totalVfs, numVfs, virtfns, driversAutoprobe, null);
    }
}
