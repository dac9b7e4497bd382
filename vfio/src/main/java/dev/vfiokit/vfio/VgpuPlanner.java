package dev.vfiokit.vfio;

import dev.vfiokit.iommucheck.host.HostSnapshot;
import dev.vfiokit.iommucheck.host.PciAddress;
import dev.vfiokit.iommucheck.host.PciDevice;
import dev.vfiokit.iommucheck.host.VendorVgpu;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * NVIDIA's vendor-specific VFIO vGPU (vGPU 17+ on kernel 6.8+, no mdev bus): a VF becomes a vGPU of a type when the
 * type id is written to its {@code nvidia/current_vgpu_type}, and is released by writing 0. Only a type the VF lists
 * in {@code creatable_vgpu_types} now is written (the driver fails any other and leaves the VF at 0), and only a VF
 * no domain holds is released.
 */
public final class VgpuPlanner {
    private final HostSnapshot host;

    public VgpuPlanner(HostSnapshot host) {
        host.facts().requireWhole("vGPU planning");
        this.host = host;
    }

    /** The vendor vGPU VFs of a GPU (its PF address), or the VF itself; empty when it has none. */
    public List<PciDevice> vfs(PciAddress gpuOrVf) {
        PciDevice d = host.device(gpuOrVf).orElseThrow(() -> VfioFailure.refused("no PCI device " + gpuOrVf + " on host " + host.source()));
        if (d.vendorVgpu() != null) {
            return List.of(d);
        }
        if (d.sriov() == null) {
            return List.of();
        }
        return d.sriov().virtfns().stream().map(host::device).flatMap(Optional::stream).filter(v -> v.vendorVgpu() != null).toList();
    }

    /** The name of a type id as any VF lists it (a VF that is the type lists it no more); "" when none does. */
    public String typeName(int id) {
        return all().stream().flatMap(v -> v.vendorVgpu().creatable().stream()).filter(t -> t.id() == id)
                .map(VendorVgpu.VgpuType::name).findFirst().orElse("");
    }

    /** Whether a VF is a vGPU of {@code type}, given by id or by name. */
    public boolean isOfType(PciDevice vf, String type) {
        int current = vf.vendorVgpu().currentType();
        return current != 0 && (String.valueOf(current).equals(type) || typeName(current).equals(type));
    }

    /** Every vendor vGPU VF on the host, in address order. */
    public List<PciDevice> all() {
        return host.devices().stream().filter(d -> d.vendorVgpu() != null).toList();
    }

    private static String file(PciAddress vf) {
        return "/sys/bus/pci/devices/" + vf + "/nvidia/current_vgpu_type";
    }

    /**
     * Makes a free VF a vGPU of {@code type} (id or name): the VF named, or the first free VF of the GPU named that
     * offers the type.
     *
     * @param held VFs defined domains hold, with the domain: never made anything else
     */
    public Operation create(PciAddress gpuOrVf, String type, Map<PciAddress, String> held) {
        List<PciDevice> vfs = vfs(gpuOrVf);
        if (vfs.isEmpty()) {
            throw VfioFailure.refused(gpuOrVf + " has no VF with NVIDIA's vendor-specific vGPU files (nvidia/current_vgpu_type): "
                    + "enable its VFs with /usr/lib/nvidia/sriov-manage -e " + gpuOrVf + " (vGPU 17+), or use mdev on older drivers");
        }
        PciDevice chosen = null;
        for (PciDevice vf : vfs) {
            VendorVgpu v = vf.vendorVgpu();
            if (v.free() && !held.containsKey(vf.address()) && v.creatable(type).isPresent()) {
                chosen = vf;
                break;
            }
        }
        if (chosen == null) {
            PciDevice named = vfs.size() == 1 ? vfs.get(0) : null;
            if (named != null && !named.vendorVgpu().free()) {
                throw VfioFailure.refused(named.address() + " is a vGPU of type " + named.vendorVgpu().currentType()
                        + " already (vfiokit vgpu remove --vf " + named.address() + " releases it)");
            }
            if (named != null && held.containsKey(named.address())) {
                throw VfioFailure.refused(named.address() + " is given to domain '" + held.get(named.address()) + "'");
            }
            java.util.Set<String> offered = new java.util.TreeSet<>();
            vfs.stream().filter(v -> v.vendorVgpu().free()).forEach(v -> v.vendorVgpu().creatable()
                    .forEach(t -> offered.add(t.id() + " (" + t.name() + ")")));
            throw VfioFailure.refused("no free VF of " + gpuOrVf + " can take vGPU type '" + type + "' now (creatable now: "
                    + (offered.isEmpty() ? "none" : String.join(", ", offered)) + "; a GPU running one type offers only that type)");
        }
        VendorVgpu.VgpuType t = chosen.vendorVgpu().creatable(type).orElseThrow();
        String f = file(chosen.address());
        Step step = Step.write(f, String.valueOf(t.id()), new Expect.ValueIs(f, String.valueOf(t.id())),
                "make " + chosen.address() + " a " + t.name() + " vGPU");
        return new Operation(Operation.Kind.VGPU_CREATE, "make VF " + chosen.address() + " a vGPU of type " + t.id() + " (" + t.name() + ")",
                List.of(step), List.of(), List.of(), List.of(), List.of(),
                List.of("the VF stays on nvidia: a guest takes it as <hostdev mode='subsystem' type='pci' managed='no'> with this address"),
                List.of(new VgpuState(chosen.address().toString(), 0, t.id())));
    }

    /** Releases a VF's vGPU (writes 0), unless a domain holds the VF. */
    public Operation remove(PciAddress vf, Map<PciAddress, String> held) {
        PciDevice d = host.device(vf).orElseThrow(() -> VfioFailure.refused("no PCI device " + vf + " on host " + host.source()));
        if (d.vendorVgpu() == null) {
            throw VfioFailure.refused(vf + " is not a VF with NVIDIA's vendor-specific vGPU files (nvidia/current_vgpu_type)");
        }
        if (d.vendorVgpu().free()) {
            throw VfioFailure.refused(vf + " is no vGPU (current_vgpu_type is 0): nothing to release");
        }
        if (held.containsKey(vf)) {
            throw VfioFailure.refused(vf + " is given to domain '" + held.get(vf) + "': undefine or change that domain first");
        }
        String f = file(vf);
        int type = d.vendorVgpu().currentType();
        return new Operation(Operation.Kind.VGPU_REMOVE, "release the vGPU (type " + type + ") of VF " + vf,
                List.of(Step.write(f, "0", new Expect.ValueIs(f, "0"), "release the vGPU of " + vf)), List.of(), List.of(), List.of(),
                List.of(), List.of(), List.of(new VgpuState(vf.toString(), type, 0)));
    }
}
