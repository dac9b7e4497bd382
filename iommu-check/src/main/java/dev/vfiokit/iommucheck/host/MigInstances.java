package dev.vfiokit.iommucheck.host;

import java.util.List;

/**
 * The MIG GPU instances of NVIDIA GPUs, where the host's driver shows them: each instance is a directory
 * /proc/driver/nvidia/capabilities/gpuN/mig/giX (its access file names the /dev/nvidia-caps node, as Slurm's gres
 * scripts read it), N being the GPU's "Device Minor" in /proc/driver/nvidia/gpus/BDF/information. MIG mode on with
 * no instance yet is not visible there (nvidia-smi --query-gpu=mig.mode.current says it). Read when asked.
 */
public final class MigInstances {
    /** A host that does not show its driver's procfs (one seen through libvirt alone). */
    public static final MigInstances NONE = new MigInstances(null);

    private final HostRoot root;

    public MigInstances(HostRoot root) {
        this.root = root;
    }

    /** Whether the host shows NVIDIA's driver state at all (procfs read through the host root). */
    public boolean visible() {
        return root != null;
    }

    /**
     * The GPU instances (gi1, gi2, ...) of an NVIDIA GPU on the nvidia driver (an empty list: none); empty when the
     * host does not show that GPU in the driver's procfs.
     */
    public java.util.Optional<List<String>> of(PciDevice gpu) {
        if (root == null || gpu.vendorId() != 0x10de) {
            return java.util.Optional.empty();
        }
        for (String line : root.lines("/proc/driver/nvidia/gpus/" + gpu.address() + "/information")) {
            if (line.startsWith("Device Minor:")) {
                String minor = line.substring("Device Minor:".length()).strip();
                return java.util.Optional.of(root.list("/proc/driver/nvidia/capabilities/gpu" + minor + "/mig").stream()
                        .filter(n -> n.matches("gi\\d+")).sorted().toList());
            }
        }
        return java.util.Optional.empty();
    }
}
