package dev.vfiokit.iommucheck.check;

import dev.vfiokit.iommucheck.host.HostSnapshot;
import dev.vfiokit.iommucheck.host.PciDevice;

import java.util.ArrayList;
import java.util.List;

/**
 * MIG on the NVIDIA GPUs checked, where the host's driver shows it (its GPU instances in procfs): a GPU with MIG
 * instances loses them when it is passed whole, and for MIG-backed vGPU the order matters, since enabling SR-IOV
 * wipes the MIG configuration (NVIDIA's vGPU user guide: SR-IOV first, then the MIG instances, then the vGPUs).
 */
public final class MigCheck implements Check {
    @Override
    public List<Finding> run(HostSnapshot host, List<PciDevice> targets) {
        List<Finding> out = new ArrayList<>();
        for (PciDevice d : targets) {
            if (d.vendorId() != 0x10de || !d.isGpu() || d.isVirtualFunction() || !"nvidia".equals(d.driver())) {
                continue; // the driver shows MIG only for GPUs it drives
            }
            String subject = d.address().toString();
            var shown = host.migInstances(d);
            if (shown.isEmpty()) {
                out.add(new Finding("device.mig", Severity.SKIP, subject, "the nvidia driver's procfs does not show this GPU "
                        + "(/proc/driver/nvidia/gpus/" + subject + "): MIG not checked", "", List.of()));
                continue;
            }
            List<String> instances = shown.get();
            if (instances.isEmpty()) {
                out.add(Finding.pass("device.mig", subject, "no MIG GPU instances (MIG mode without instances shows in "
                        + "nvidia-smi --query-gpu=mig.mode.current only)", List.of("/proc/driver/nvidia/capabilities/gpuN/mig: no gi*")));
                continue;
            }
            boolean vfs = d.sriov() != null && d.sriov().numVfs() > 0;
            out.add(new Finding("device.mig", Severity.WARN, subject, "MIG is on with " + instances.size() + " GPU instance(s) ("
                    + String.join(", ", instances) + "): passing the whole GPU destroys them" + (vfs ? "" : ", and enabling its "
                    + "SR-IOV VFs (for MIG-backed vGPU) wipes the MIG configuration: enable SR-IOV first, then create the MIG "
                    + "instances, then the vGPUs"), "to pass the whole GPU, take MIG off first: nvidia-smi mig -i N -dci; "
                    + "nvidia-smi mig -i N -dgi; nvidia-smi -i N -mig 0 (N: the GPU's index in nvidia-smi -L)",
                    instances.stream().map(i -> "GPU instance " + i).toList()));
        }
        return out;
    }
}
