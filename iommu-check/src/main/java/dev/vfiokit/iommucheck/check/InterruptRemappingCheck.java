package dev.vfiokit.iommucheck.check;

import dev.vfiokit.iommucheck.host.HostSnapshot;
import dev.vfiokit.iommucheck.host.InterruptRemapping;
import dev.vfiokit.iommucheck.host.PciDevice;

import java.util.List;

/**
 * Interrupt remapping: without it a guest can forge MSIs to the host, and vfio refuses devices unless
 * allow_unsafe_interrupts is set, which accepts that risk.
 */
public final class InterruptRemappingCheck implements Check {
    private static final String ID = "iommu.interrupt-remapping";

    @Override
    public List<Finding> run(HostSnapshot host, List<PciDevice> targets) {
        InterruptRemapping ir = host.interruptRemapping();
        if (!host.iommuActive()) {
            return List.of(new Finding(ID, Severity.SKIP, "host", "no active IOMMU, so no interrupt remapping to check",
                    "", ir.evidence()));
        }
        if (ir.remapped()) {
            if (Boolean.TRUE.equals(ir.allowUnsafeInterrupts())) {
                return List.of(new Finding(ID, Severity.WARN, "host",
                        "interrupt remapping is on, but allow_unsafe_interrupts=Y is set needlessly",
                        "remove 'options vfio_iommu_type1 allow_unsafe_interrupts=1' from modprobe.d", ir.evidence()));
            }
            return List.of(Finding.pass(ID, "host", host.cpu().isArm64() ? "MSIs go through the GICv3 ITS, which isolates them "
                    + "per device (arm64's interrupt remapping)" : "interrupt remapping is enabled", ir.evidence()));
        }
        if (Boolean.TRUE.equals(ir.allowUnsafeInterrupts())) {
            return List.of(new Finding(ID, Severity.WARN, "host",
                    "no interrupt remapping; vfio runs with allow_unsafe_interrupts=Y: a guest can inject "
                            + "interrupts (MSI attacks) into the host",
                    "enable interrupt remapping (x2APIC / IR in firmware, no intremap=off); keep unsafe interrupts only for trusted guests",
                    ir.evidence()));
        }
        if (host.cpu().isArm64()) {
            return List.of(new Finding(ID, Severity.FAIL, "host", "no MSIs through a GICv3 ITS: vfio will refuse to assign "
                    + "devices (GICv2m does not isolate MSIs)", "use the firmware's GICv3 ITS (ACPI MADT); as a last resort, "
                    + "'options vfio_iommu_type1 allow_unsafe_interrupts=1' accepts the risk", ir.evidence()));
        }
        return List.of(new Finding(ID, Severity.FAIL, "host",
                "no interrupt remapping: vfio will refuse to assign devices (guests could forge MSIs)",
                "enable interrupt remapping in firmware (x2APIC, VT-d/AMD-Vi IR) and drop intremap=off; as a last resort, "
                        + "'options vfio_iommu_type1 allow_unsafe_interrupts=1' accepts the security risk",
                ir.evidence()));
    }
}
