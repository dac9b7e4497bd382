package dev.vfiokit.templates;

import dev.vfiokit.iommucheck.host.PciAddress;

import java.util.List;
import java.util.Map;

/**
 * What a domain should be: a template with parameter values, a name, and the host devices to give it
 * (PCI devices by address, SR-IOV VFs, mediated devices by UUID).
 *
 * @param domainType  kvm or qemu (decided by the caller from the host's capabilities)
 * @param vcpus       null: the template's default
 * @param memory      null: the template's default; else a size such as "32GiB"
 * @param disk        a disk image path, or null for none
 * @param romFile     a VBIOS file given to every passed GPU function, or null
 * @param romBarOff   hide the GPUs' option ROM BAR
 * @param mdevDisplay whether mediated devices drive a display (display='on' with ramfb)
 * @param vendorVgpus VFs that are NVIDIA vendor-specific VFIO vGPUs already (their type set), passed on nvidia
 * @param targetLibvirt the version of the libvirt that will receive the XML, null when unknown: XML newer libvirts
 *                      take (variant driver models, iommufd) is emitted only for a libvirt known to have it
 */
public record DomainRequest(String template, String name, String domainType, Integer vcpus, String memory, String disk,
                            List<PciAddress> pciDevices, List<VfRequest> vfs, List<String> mdevUuids,
                            boolean mdevDisplay, String romFile, boolean romBarOff, Map<String, String> parameters,
                            List<PciAddress> vendorVgpus, dev.vfiokit.iommucheck.host.LibvirtVersion targetLibvirt) {
    /** A request for a libvirt of unknown version. */
    public DomainRequest(String template, String name, String domainType, Integer vcpus, String memory, String disk,
                         List<PciAddress> pciDevices, List<VfRequest> vfs, List<String> mdevUuids,
                         boolean mdevDisplay, String romFile, boolean romBarOff, Map<String, String> parameters,
                         List<PciAddress> vendorVgpus) {
        this(template, name, domainType, vcpus, memory, disk, pciDevices, vfs, mdevUuids, mdevDisplay, romFile, romBarOff, parameters,
                vendorVgpus, null);
    }

    /** This request for the libvirt of that version. */
    public DomainRequest forLibvirt(dev.vfiokit.iommucheck.host.LibvirtVersion version) {
        return new DomainRequest(template, name, domainType, vcpus, memory, disk, pciDevices, vfs, mdevUuids, mdevDisplay, romFile,
                romBarOff, parameters, vendorVgpus, version);
    }

    /** A request without vendor vGPU VFs. */
    public DomainRequest(String template, String name, String domainType, Integer vcpus, String memory, String disk,
                         List<PciAddress> pciDevices, List<VfRequest> vfs, List<String> mdevUuids,
                         boolean mdevDisplay, String romFile, boolean romBarOff, Map<String, String> parameters) {
        this(template, name, domainType, vcpus, memory, disk, pciDevices, vfs, mdevUuids, mdevDisplay, romFile, romBarOff, parameters, List.of());
    }

    public DomainRequest {
        vendorVgpus = vendorVgpus == null ? List.of() : List.copyOf(vendorVgpus);
        pciDevices = List.copyOf(pciDevices);
        vfs = List.copyOf(vfs);
        mdevUuids = List.copyOf(mdevUuids);
        parameters = Map.copyOf(parameters);
    }
}
