package dev.vfiokit.shell.provision;

import dev.vfiokit.iommucheck.host.HostRoot;
import dev.vfiokit.iommucheck.host.HostSnapshot;
import dev.vfiokit.iommucheck.host.PciAddress;
import dev.vfiokit.vfio.HostTarget;

import java.util.Map;

/**
 * One host as the planner sees it: its snapshot and root, its libvirt URI and domain type (kvm, or qemu where
 * libvirt offers no KVM), the devices and mdevs defined
 * domains hold, the CPUs they are pinned to (the tuner's ledger), the descriptions of the domains defined there (to tell an unchanged VM),
 * and the memory of those that pass VFIO devices (locked in host RAM while they run), by domain.
 */
public record HostFacts(String name, String uri, String domainType, HostSnapshot snapshot, HostTarget target,
                        Map<PciAddress, String> assigned, Map<String, String> mdevUsers, Map<String, String> descriptions,
                        java.util.Set<String> provisionedDomains, dev.vfiokit.tuning.NumaLedger held,
                        dev.vfiokit.iommucheck.host.LibvirtVersion libvirt, Map<String, Long> lockedMemory) {
    /** A host whose libvirt version is not known (not reached). */
    public HostFacts(String name, String uri, String domainType, HostSnapshot snapshot, HostTarget target,
                     Map<PciAddress, String> assigned, Map<String, String> mdevUsers, Map<String, String> descriptions,
                     java.util.Set<String> provisionedDomains, dev.vfiokit.tuning.NumaLedger held) {
        this(name, uri, domainType, snapshot, target, assigned, mdevUsers, descriptions, provisionedDomains, held, null, Map.of());
    }

    /** A host whose domains pass no VFIO device (nothing of its memory is locked). */
    public HostFacts(String name, String uri, String domainType, HostSnapshot snapshot, HostTarget target,
                     Map<PciAddress, String> assigned, Map<String, String> mdevUsers, Map<String, String> descriptions,
                     java.util.Set<String> provisionedDomains, dev.vfiokit.tuning.NumaLedger held,
                     dev.vfiokit.iommucheck.host.LibvirtVersion libvirt) {
        this(name, uri, domainType, snapshot, target, assigned, mdevUsers, descriptions, provisionedDomains, held, libvirt, Map.of());
    }

    public HostFacts {
        lockedMemory = Map.copyOf(lockedMemory);
        assigned = Map.copyOf(assigned);
        mdevUsers = Map.copyOf(mdevUsers);
        descriptions = Map.copyOf(descriptions);
        provisionedDomains = java.util.Set.copyOf(provisionedDomains);
    }

    /** A domain of this name carries vfiokit provision's mark: it is provisioning's to redefine or destroy. */
    public boolean provisioned(String domain) {
        return provisionedDomains.contains(domain);
    }

    /**
     * Whether a domain definition is provisioning's: vfiokit's metadata mark says so, or (domains provisioned before the
     * mark existed) its description carries the provision stamp.
     */
    public static boolean madeByProvision(org.w3c.dom.Element domain, String description) {
        return dev.vfiokit.templates.DomainOwner.in(domain).map(o -> o.by().equals(dev.vfiokit.templates.DomainOwner.BY_PROVISION))
                .orElse(description != null && description.startsWith(ProvisionPlanner.STAMP));
    }

    /** The host's root when vfiokit reads it directly; null for a host seen through libvirt alone. */
    public HostRoot root() {
        return target.root();
    }

    public boolean canChangeHost() {
        return target.changeable();
    }
}
