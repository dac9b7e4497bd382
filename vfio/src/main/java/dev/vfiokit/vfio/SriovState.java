package dev.vfiokit.vfio;

/** A PF's SR-IOV settings before a change. */
public record SriovState(String pf, int numVfs, Integer driversAutoprobe) {
}
