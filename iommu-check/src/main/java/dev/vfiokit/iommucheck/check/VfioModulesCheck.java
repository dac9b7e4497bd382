package dev.vfiokit.iommucheck.check;

import dev.vfiokit.iommucheck.host.HostSnapshot;
import dev.vfiokit.iommucheck.host.PciDevice;

import java.util.ArrayList;
import java.util.List;

/** vfio, vfio_pci and vfio_iommu_type1: loaded (or built in), or at least available to modprobe. */
public final class VfioModulesCheck implements Check {
    private static final List<String> MODULES = List.of("vfio", "vfio_pci", "vfio_iommu_type1");

    @Override
    public List<Finding> run(HostSnapshot host, List<PciDevice> targets) {
        List<String> loaded = new ArrayList<>();
        List<String> available = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        for (String m : MODULES) {
            if (host.moduleLoaded(m)) {
                loaded.add(m);
            } else if (host.moduleAvailable(m)) {
                available.add(m);
            } else {
                missing.add(m);
            }
        }
        List<String> ev = List.of("loaded or built in: " + (loaded.isEmpty() ? "none" : String.join(" ", loaded)),
                "available, not loaded: " + (available.isEmpty() ? "none" : String.join(" ", available)),
                "not found for kernel " + host.kernelRelease() + ": " + (missing.isEmpty() ? "none" : String.join(" ", missing)));
        if (!missing.isEmpty()) {
            return List.of(new Finding("vfio.modules", Severity.FAIL, "host", "vfio modules missing: " + String.join(", ", missing),
                    "install the kernel's modules package (Debian: linux-image-" + host.kernelRelease()
                            + ") or a kernel built with CONFIG_VFIO_PCI", ev));
        }
        if (!available.isEmpty()) {
            return List.of(new Finding("vfio.modules", Severity.WARN, "host", "vfio modules not loaded: " + String.join(", ", available),
                    "modprobe vfio-pci (loads vfio and vfio_iommu_type1); to load at boot: echo vfio-pci > /etc/modules-load.d/vfio.conf", ev));
        }
        return List.of(Finding.pass("vfio.modules", "host", "vfio, vfio_pci and vfio_iommu_type1 are loaded", ev));
    }
}
