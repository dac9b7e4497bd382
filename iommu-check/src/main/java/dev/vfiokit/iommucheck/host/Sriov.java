package dev.vfiokit.iommucheck.host;

import java.util.List;

/** SR-IOV state of a physical function: VFs it can have, VFs enabled, their addresses. */
public record Sriov(int totalVfs, int numVfs, List<PciAddress> virtfns, Boolean driversAutoprobe) {
    public Sriov {
        virtfns = List.copyOf(virtfns);
    }
}
