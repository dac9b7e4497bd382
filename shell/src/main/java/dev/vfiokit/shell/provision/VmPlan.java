package dev.vfiokit.shell.provision;

import java.util.List;

/**
 * What apply does for one VM. status: CREATE (not defined yet), UPDATE (defined from an older manifest),
 * UNCHANGED (defined exactly so: apply skips it). {@code mdevType}: an mdev of this type to create on
 * {@code mdevParent} at apply (null: none, or a free existing one is in the XML already).
 */
public record VmPlan(VmSpec spec, String hostUri, Status status, String xml, String stamp, List<String> actions,
                     String mdevType, String mdevParent) {
    /** What apply will do with the VM: define it, redefine it, or keep it (written as the constant's name). */
    public enum Status { CREATE, UPDATE, UNCHANGED }

    public VmPlan {
        actions = List.copyOf(actions);
    }
}
