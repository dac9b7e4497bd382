package dev.vfiokit.templates.engine;

import dev.vfiokit.iommucheck.check.HostNeeds;
import dev.vfiokit.iommucheck.host.HostSnapshot;
import dev.vfiokit.iommucheck.host.IommuGroup;
import dev.vfiokit.iommucheck.host.MediatedDevice;
import dev.vfiokit.iommucheck.host.MdevParent;
import dev.vfiokit.iommucheck.host.MdevType;
import dev.vfiokit.iommucheck.host.PciAddress;
import dev.vfiokit.iommucheck.host.PciDevice;
import dev.vfiokit.iommucheck.host.PciIdNames;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What a host can offer an orchestrator for passthrough, as KubeVirt and Nova count it: PCI device models (GPUs,
 * accelerators, SR-IOV VFs) with their addresses, and the mdev types in use with their parents. Left out, each with a
 * note: what the host needs itself or shares an IOMMU group with, the boot GPU, vGPU parents (offered as their mdevs),
 * and NVIDIA vendor vGPU VFs (no mdev: neither engine's mdev configuration can name them).
 */
public record PassthroughInventory(String host, List<PciModel> models, List<MdevOffer> mdevTypes, List<String> notes) {
    /** How Nova classes a device: a plain function, an SR-IOV PF, or a VF. */
    public enum DeviceType { PCI, PF, VF }

    /** One vendor:device model and where it is; pfNetdevs: for VFs, their PFs' netdevs. */
    public record PciModel(int vendorId, int deviceId, String name, DeviceType type, List<PciAddress> addresses,
                           List<String> pfNetdevs) {
        public PciModel {
            addresses = List.copyOf(addresses);
            pfNetdevs = List.copyOf(pfNetdevs);
        }

        /** "10DE:1EB8": KubeVirt's pciVendorSelector. */
        public String selector() {
            return String.format("%04X:%04X", vendorId, deviceId);
        }
    }

    /** An mdev type in use on this host, by id and name, and the parents that have mdevs of it. */
    public record MdevOffer(String typeId, String typeName, List<String> parents, List<PciAddress> parentAddresses) {
        public MdevOffer {
            parents = List.copyOf(parents);
            parentAddresses = List.copyOf(parentAddresses);
        }
    }

    public PassthroughInventory {
        models = List.copyOf(models);
        mdevTypes = List.copyOf(mdevTypes);
        notes = List.copyOf(notes);
    }

    public static PassthroughInventory of(HostSnapshot host, PciIdNames names) {
        HostNeeds needs = new HostNeeds(host);
        Map<PciAddress, PciDevice> byAddress = host.devicesByAddress();
        Map<String, List<PciDevice>> grouped = new TreeMap<>();
        List<String> notes = new ArrayList<>();
        for (PciDevice d : host.devices()) {
            boolean accelerator = "accelerator".equals(d.classWord());
            PciDevice pf = d.physfn() == null ? null : byAddress.get(d.physfn());
            boolean nicVf = d.isVirtualFunction() && pf != null && pf.isNetwork();
            boolean gpuVf = d.isVirtualFunction() && d.vendorVgpu() != null;
            if (gpuVf) {
                continue;   // said once per GPU below
            }
            if (!(d.isGpu() || accelerator || nicVf) || d.isVirtualFunction() && !nicVf) {
                continue;
            }
            Optional<String> why = refusal(d, host, needs, byAddress);
            if (why.isPresent()) {
                notes.add(d.address() + " left out: " + why.get());
                continue;
            }
            DeviceType type = d.isVirtualFunction() ? DeviceType.VF : d.isSriovPhysicalFunction() ? DeviceType.PF : DeviceType.PCI;
            grouped.computeIfAbsent(String.format("%04x:%04x:%s", d.vendorId(), d.deviceId(), type), k -> new ArrayList<>()).add(d);
        }
        List<PciModel> models = new ArrayList<>();
        grouped.forEach((k, ds) -> {
            PciDevice first = ds.get(0);
            DeviceType type = DeviceType.valueOf(k.substring(k.lastIndexOf(':') + 1));
            List<String> pfNetdevs = new ArrayList<>();
            for (PciDevice d : ds) {
                PciDevice pf = d.physfn() == null ? null : byAddress.get(d.physfn());
                if (pf != null && !pf.netdevs().isEmpty() && !pfNetdevs.contains(pf.netdevs().get(0))) {
                    pfNetdevs.add(pf.netdevs().get(0));
                }
            }
            models.add(new PciModel(first.vendorId(), first.deviceId(), names.deviceName(first).orElse(null), type,
                    ds.stream().map(PciDevice::address).toList(), pfNetdevs));
        });
        return new PassthroughInventory(host.source(), models, mdevOffers(host), withVgpuNotes(host, notes));
    }

    private static List<String> withVgpuNotes(HostSnapshot host, List<String> notes) {
        for (PciDevice d : host.devices()) {
            if (servesVendorVgpus(d, host)) {
                notes.add(d.address() + "'s vGPU VFs left out: NVIDIA vendor-specific vGPUs (vGPU 17+) are no mdevs, and neither "
                        + "permittedHostDevices nor Nova's mdev sections can name them (they need NVIDIA's own integration)");
            }
        }
        return notes;
    }

    /** A GPU whose VFs are NVIDIA vendor-specific vGPUs. */
    private static boolean servesVendorVgpus(PciDevice d, HostSnapshot host) {
        return d.sriov() != null && d.sriov().virtfns().stream().anyMatch(vf -> host.device(vf).map(v -> v.vendorVgpu() != null).orElse(false));
    }

    private static Optional<String> refusal(PciDevice d, HostSnapshot host, HostNeeds needs, Map<PciAddress, PciDevice> byAddress) {
        Optional<HostNeeds.Need> own = needs.of(d);
        if (own.isPresent()) {
            return Optional.of("the host needs it (it " + own.get().why() + ")");
        }
        if (d.bootVga()) {
            return Optional.of("the boot GPU: the host's console is on it");
        }
        if (!d.mdevTypes().isEmpty()) {
            return Optional.of("a vGPU parent: offered as its mediated devices");
        }
        if (servesVendorVgpus(d, host)) {
            return Optional.of("it serves NVIDIA vGPUs through its VFs, so it cannot be passed whole");
        }
        if (d.iommuGroup() == null) {
            return Optional.of("in no IOMMU group (the IOMMU is off)");
        }
        Optional<IommuGroup> g = host.group(d.iommuGroup());
        if (g.isPresent()) {
            for (PciDevice m : HostSnapshot.members(g.get(), byAddress)) {
                Optional<HostNeeds.Need> n = needs.of(m);
                if (!m.address().equals(d.address()) && n.isPresent()) {
                    return Optional.of("its IOMMU group " + d.iommuGroup() + " holds " + m.address() + ", which the host needs");
                }
            }
        }
        return Optional.empty();
    }

    private static List<MdevOffer> mdevOffers(HostSnapshot host) {
        Map<String, List<MediatedDevice>> byType = new TreeMap<>();
        for (MediatedDevice m : host.mdevs()) {
            byType.computeIfAbsent(m.type(), k -> new ArrayList<>()).add(m);
        }
        List<MdevOffer> out = new ArrayList<>();
        byType.forEach((type, ms) -> {
            Map<String, PciAddress> parents = new LinkedHashMap<>();
            String name = type;
            for (MediatedDevice m : ms) {
                Optional<MdevParent> p = host.mdevParent(m.parent());
                parents.putIfAbsent(m.parent(), p.map(MdevParent::pciAddress).orElse(null));
                name = p.flatMap(pp -> pp.types().stream().filter(t -> t.id().equals(type)).map(MdevType::name).findFirst()).orElse(name);
            }
            out.add(new MdevOffer(type, name, List.copyOf(parents.keySet()),
                    parents.values().stream().filter(java.util.Objects::nonNull).toList()));
        });
        return out;
    }
}
