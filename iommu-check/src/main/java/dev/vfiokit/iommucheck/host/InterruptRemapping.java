package dev.vfiokit.iommucheck.host;

import java.util.List;

/**
 * Interrupt remapping as the kernel runs it: {@code remapped} when interrupt chips named IR-* appear in
 * /proc/interrupts (or the kernel log says it is enabled); {@code allowUnsafeInterrupts} is
 * vfio_iommu_type1's parameter (null when the module is not loaded).
 */
public record InterruptRemapping(boolean remapped, Boolean allowUnsafeInterrupts, List<String> evidence) {
    /** Not read (a snapshot through libvirt, or one read for groups alone). */
    public static final InterruptRemapping UNKNOWN = new InterruptRemapping(false, null, List.of());

    public InterruptRemapping {
        evidence = List.copyOf(evidence);
    }
}
