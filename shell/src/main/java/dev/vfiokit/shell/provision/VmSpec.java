package dev.vfiokit.shell.provision;

import java.util.List;

/**
 * One VM of a manifest: where it runs, from which template and tuning profile, and what it gets. GPUs by
 * address ({@code gpus}), or {@code gpuModel} (vendor:device or a name fragment) with {@code gpuCount}, all on
 * one NUMA node. {@code vgpuType}: an NVIDIA vendor-specific VFIO vGPU of that type id or name. {@code line} is where it starts in the manifest, for errors.
 */
public record VmSpec(String name, String host, String template, String profile, List<String> gpus, String gpuModel,
                     int gpuCount, List<String> vfs, String mdevType, String vgpuType, Integer vcpus, String memory, String disk,
                     boolean pin, boolean hideKvm, int line) {
    public VmSpec {
        gpus = List.copyOf(gpus);
        vfs = List.copyOf(vfs);
    }
}
