package dev.vfiokit.vfio;

/**
 * A VF's vendor vGPU type around an operation: {@code before} (0: none) and the {@code after} the operation wrote.
 * Undo writes {@code before} back only while the VF still has {@code after}: VFs are reused, and one another
 * tool or domain made something else since is not vfiokit's to release.
 */
public record VgpuState(String vf, int before, int after) {
}
