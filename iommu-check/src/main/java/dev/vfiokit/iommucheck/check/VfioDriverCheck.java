package dev.vfiokit.iommucheck.check;

import dev.vfiokit.iommucheck.host.HostSnapshot;
import dev.vfiokit.iommucheck.host.PciDevice;
import dev.vfiokit.iommucheck.host.VariantDrivers;

import java.util.ArrayList;
import java.util.List;

/**
 * The VFIO driver a device gets: a variant driver where the running kernel's modules.alias has a vfio_pci: alias for
 * it (mlx5_vfio_pci, nvgrace_gpu_vfio_pci, ...: migration, device memory), else vfio-pci, chosen as libvirt 10.0+
 * chooses for managed hostdevs and as {@code vfiokit bind} binds. A vendor vGPU VF keeps its host driver.
 */
public final class VfioDriverCheck implements DeviceCheck {
    @Override
    public Finding check(HostSnapshot host, PciDevice d) {
        String subject = d.address().toString();
        if (d.vendorVgpu() != null) {
            return Finding.pass("device.vfio-driver", subject, "keeps " + d.driver() + ": a vendor-specific VFIO vGPU VF is "
                    + "passed on its host driver, never rebound (libvirt: managed='no')", List.of("driver: " + d.driver()));
        }
        VariantDrivers.Choice c = host.variantDrivers().driverFor(d.modalias());
        List<String> ev = new ArrayList<>();
        ev.add("modalias: " + (d.modalias() == null ? "absent" : d.modalias().strip()));
        ev.add(c.isVariant() ? "modules.alias: " + c.aliasLine() : c.aliasLine());
        ev.add("variant drivers in this kernel: " + (host.variantDrivers().variantModules().isEmpty() ? "none"
                : String.join(", ", host.variantDrivers().variantModules())));
        ev.add("driver now: " + (d.driver() == null ? "none" : d.driver()));
        if (c.isVariant() && PciDevice.VFIO_DRIVER.equals(d.driver())) {
            return new Finding("device.vfio-driver", Severity.WARN, subject, "bound to vfio-pci, but the kernel has the variant "
                    + "driver " + c.module() + " for it (what libvirt 10.0+ would bind; it adds what vfio-pci lacks, e.g. live "
                    + "migration or device memory)", FixCommand.of("unbind", "--device", d.address().toString(), "--dry-run")
                    + "; then " + FixCommand.of("bind", "--device", d.address().toString(), "--dry-run") + "; (without --dry-run to do it)", ev);
        }
        String now = c.driverName().equals(d.driver()) ? " (bound now)" : "";
        return Finding.pass("device.vfio-driver", subject, "gets " + c.driverName() + now
                + (c.isVariant() ? ", a VFIO variant driver" : ""), ev);
    }
}
