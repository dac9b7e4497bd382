package dev.vfiokit.iommucheck.check;

import dev.vfiokit.iommucheck.host.HostSnapshot;
import dev.vfiokit.iommucheck.host.PciDevice;
import dev.vfiokit.iommucheck.host.VfioInterfaces;

import java.util.ArrayList;
import java.util.List;

/**
 * Which VFIO backends the kernel offers: the legacy group/container path (type1), and iommufd with the VFIO device
 * cdev (kernel 6.6+), which QEMU's {@code -object iommufd} and libvirt 12.1's {@code <driver iommufd='yes'/>} use.
 * Either passes devices; iommufd is what newer features (nested translation, device dirty tracking) need.
 */
public final class VfioBackendCheck implements Check {
    @Override
    public List<Finding> run(HostSnapshot host, List<PciDevice> targets) {
        VfioInterfaces v = host.vfio();
        List<String> ev = new ArrayList<>();
        ev.add("/dev/vfio/vfio: " + (v.containerNode() ? "present" : "absent"));
        ev.add("/dev/iommu: " + (v.iommuNode() ? "present" : "absent"));
        ev.add("/dev/vfio/devices: " + (v.cdevDirectory() ? "present" : "absent"));
        VfioInterfaces.CONFIG_KEYS.stream().filter(k -> v.config(k) != null)
                .forEach(k -> ev.add("/boot/config-" + host.kernelRelease() + ": " + k + "=" + v.config(k)));
        for (PciDevice d : targets) {
            if (d.vfioDevice() != null) {
                ev.add(d.address() + ": vfio-dev/" + d.vfioDevice() + (v.cdevDirectory() ? ", cdev /dev/vfio/devices/" + d.vfioDevice() : ""));
            }
        }
        boolean legacy = v.containerNode() || !"n".equals(v.config("CONFIG_VFIO_CONTAINER"));
        boolean known = v.containerNode() || v.iommuNode() || !v.kernelConfig().isEmpty();
        if (!known) {
            return List.of(new Finding("vfio.backend", Severity.SKIP, "host", "no VFIO node in /dev and no kernel config in /boot: "
                    + "which backends this kernel has shows once vfio is loaded", "", ev));
        }
        String iommufd = v.iommufdBackend() ? "iommufd with the VFIO device cdev" + (v.iommuNode() ? "" : " (iommufd is a module, "
                + "loaded on first use: modprobe iommufd)")
                : !v.iommufd() ? "no iommufd (" + ("n".equals(v.config("CONFIG_IOMMUFD")) ? "this kernel is built without CONFIG_IOMMUFD"
                : "no /dev/iommu") + ")"
                : "iommufd without the VFIO device cdev (CONFIG_VFIO_DEVICE_CDEV " + (v.config("CONFIG_VFIO_DEVICE_CDEV") == null
                ? "unknown" : "off") + ")";
        if (!legacy && !v.iommufdBackend()) {
            return List.of(new Finding("vfio.backend", Severity.FAIL, "host", "neither the legacy container nor iommufd: "
                    + "VFIO cannot map guest memory", "boot a kernel with CONFIG_VFIO_CONTAINER or CONFIG_IOMMUFD_VFIO_CONTAINER", ev));
        }
        String message = (legacy ? "legacy group/container (type1)" : "no legacy container") + "; " + iommufd
                + (v.iommufdBackend() ? ": libvirt 12.1+ can use iommufd per device (domain generate does where the target libvirt has it)"
                : ": devices pass through the legacy group path");
        return List.of(Finding.pass("vfio.backend", "host", message, ev));
    }
}
