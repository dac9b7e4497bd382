package dev.vfiokit.shell.provision;

import java.util.List;

/**
 * What apply does for one VM. status: CREATE (not defined yet), UPDATE (defined from an older manifest),
 * UNCHANGED (defined exactly so: apply skips it). {@code newMdev}: an mdev apply creates for the VM (null: none, or
 * a free existing one is in the XML already); {@code newVgpu} likewise for a vendor vGPU VF.
 */
public record VmPlan(VmSpec spec, String hostUri, Status status, String xml, String stamp, List<String> actions,
                     NewMdev newMdev, NewVgpu newVgpu) {
    /** A VF apply makes a vendor vGPU of {@code type} (its id) before the domain is defined. */
    public record NewVgpu(String vf, int type) {
    }

    /** An mdev to create at apply: its parent, type id, and the UUID the domain XML names. */
    public record NewMdev(String parent, String type, dev.vfiokit.iommucheck.host.MdevUuid uuid) {
    }

    /**
     * What apply will do with the VM: define it, redefine it, or keep it; NOT_REACHED: its host did not answer, so
     * nothing is planned there (written as the constant's name).
     */
    public enum Status { CREATE, UPDATE, UNCHANGED, NOT_REACHED }

    /** A VM whose host was not reached: no XML, and why as its one action. */
    public static VmPlan notReached(VmSpec spec, String why) {
        return new VmPlan(spec, null, Status.NOT_REACHED, null, null, List.of("host " + spec.host() + " not reached: " + why), null, null);
    }

    public VmPlan {
        actions = List.copyOf(actions);
    }
}
