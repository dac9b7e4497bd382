package dev.vfiokit.vfio;

import dev.vfiokit.iommucheck.host.PciAddress;

import java.util.List;
import java.util.Map;

/**
 * What to bind to vfio-pci. {@code group}: take the whole IOMMU group along; {@code force}: override the safety
 * refusals; {@code persist}: by address (driverctl-compatible), {@code persistById}: modprobe.d ids= + softdep;
 * {@code runningDomainDevices}: devices running domains hold (from libvirt), address to domain name; {@code driver}: the
 * VFIO driver to bind (vfio-pci, or a variant driver the kernel has), null to choose as libvirt does (the variant driver
 * whose modules.alias line fits best, else vfio-pci).
 */
public record BindRequest(List<PciAddress> devices, boolean group, boolean force, boolean persist, boolean persistById,
                          Map<PciAddress, String> runningDomainDevices, String driver) {
    public BindRequest {
        devices = List.copyOf(devices);
        runningDomainDevices = Map.copyOf(runningDomainDevices);
    }

    public BindRequest(List<PciAddress> devices, boolean group, boolean force, boolean persist, boolean persistById,
                       Map<PciAddress, String> runningDomainDevices) {
        this(devices, group, force, persist, persistById, runningDomainDevices, null);
    }
}
