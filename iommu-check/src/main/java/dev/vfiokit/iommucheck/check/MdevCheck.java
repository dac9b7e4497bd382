package dev.vfiokit.iommucheck.check;

import dev.vfiokit.iommucheck.host.HostSnapshot;
import dev.vfiokit.iommucheck.host.MdevParent;
import dev.vfiokit.iommucheck.host.MdevType;
import dev.vfiokit.iommucheck.host.PciAddress;
import dev.vfiokit.iommucheck.host.PciDevice;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Mediated-device parents (vGPU) with their types and free instances. GPUs whose vGPU types live on SR-IOV VFs
 * (NVIDIA Ampere and later) are reported once, with whether the VFs are enabled: until they are, the GPU offers
 * no types at all. A GPU whose VFs carry NVIDIA's vendor-specific VFIO files (vGPU 17+ on kernel 6.8+, no mdev bus)
 * is reported as that framework, with its free VFs and the types they can take now.
 */
public final class MdevCheck implements Check {
    @Override
    public List<Finding> run(HostSnapshot host, List<PciDevice> targets) {
        List<Finding> out = new ArrayList<>();
        Map<PciAddress, PciDevice> byAddress = host.devicesByAddress();
        for (MdevParent parent : host.mdevParents()) {
            PciDevice d = parent.pciAddress() == null ? null : byAddress.get(parent.pciAddress());
            if (d != null && d.isVirtualFunction()) {
                continue; // reported with its PF below
            }
            out.add(parentFinding(parent.name(), parent.types(), host.mdevs().stream().filter(m -> m.parent().equals(parent.name())).count()));
        }
        for (PciDevice gpu : host.gpus()) {
            if (gpu.vendorId() != 0x10de || !gpu.isSriovPhysicalFunction() || host.mdevParent(gpu.address().toString()).isPresent()) {
                continue;
            }
            List<PciDevice> vendorVfs = gpu.sriov().virtfns().stream().map(byAddress::get)
                    .filter(v -> v != null && v.vendorVgpu() != null).toList();
            if (!vendorVfs.isEmpty()) {
                out.add(vendorFinding(gpu, vendorVfs));
                continue;
            }
            List<MdevParent> vfParents = gpu.sriov().virtfns().stream().map(v -> host.mdevParent(v.toString()))
                    .flatMap(Optional::stream).toList();
            String subject = gpu.address().toString();
            if (vfParents.isEmpty() && gpu.sriov().numVfs() > 0 && host.facts() == dev.vfiokit.iommucheck.host.FactSource.LIBVIRT) {
                // libvirt lists mdev types, not NVIDIA's vendor-specific vGPU files on the VFs (vGPU 17+): "no types" would be a guess
                out.add(new Finding("mdev.parent", Severity.SKIP, subject, "vGPU through SR-IOV VFs, whose types libvirt does not show "
                        + "(NVIDIA vGPU 17+ keeps them in the VFs' own sysfs files): run vfiokit check on the host itself", "", List.of(
                        "sriov_totalvfs=" + gpu.sriov().totalVfs(), "sriov_numvfs=" + gpu.sriov().numVfs(), "VFs with mdev types: 0")));
                continue;
            }
            List<String> ev = List.of("sriov_totalvfs=" + gpu.sriov().totalVfs(), "sriov_numvfs=" + gpu.sriov().numVfs(),
                    "VFs with mdev types: " + vfParents.size());
            if (gpu.sriov().numVfs() == 0) {
                out.add(new Finding("mdev.parent", Severity.WARN, subject, "vGPU comes through SR-IOV VFs on this GPU, and none "
                        + "are enabled: it offers no vGPU types", "enable the VFs: /usr/lib/nvidia/sriov-manage -e " + subject, ev));
            } else {
                Map<String, Integer> free = vfParents.stream().flatMap(p -> p.types().stream())
                        .collect(Collectors.groupingBy(t -> t.id() + " \"" + t.name() + "\"", Collectors.summingInt(MdevType::availableInstances)));
                List<String> e = new ArrayList<>(ev);
                free.forEach((k, v) -> e.add(k + ": " + v + " available over the VFs"));
                out.add(Finding.pass("mdev.parent", subject, "vGPU through " + gpu.sriov().numVfs() + " VFs, "
                        + free.values().stream().mapToInt(Integer::intValue).sum() + " instances free", e));
            }
        }
        return out;
    }

    /**
     * NVIDIA's vendor-specific VFIO vGPU (vGPU 17+, no mdev bus): the VFs stay on nvidia and become a vGPU when a type
     * id is written to their current_vgpu_type.
     */
    private static Finding vendorFinding(PciDevice gpu, List<PciDevice> vfs) {
        String subject = gpu.address().toString();
        List<String> ev = new ArrayList<>(List.of("framework: NVIDIA vendor-specific VFIO (VFs on nvidia, nvidia/current_vgpu_type)",
                "sriov_totalvfs=" + gpu.sriov().totalVfs(), "sriov_numvfs=" + gpu.sriov().numVfs()));
        java.util.Set<String> creatable = new java.util.LinkedHashSet<>();
        int free = 0;
        for (PciDevice vf : vfs) {
            var v = vf.vendorVgpu();
            if (v.free()) {
                free++;
                v.creatable().forEach(t -> creatable.add(t.id() + " \"" + t.name() + "\""));
                ev.add(vf.address() + ": free, creatable " + v.creatable().stream().map(t -> String.valueOf(t.id())).toList());
            } else {
                ev.add(vf.address() + ": vGPU type " + v.currentType());
            }
        }
        if (free == 0) {
            return new Finding("vgpu.vendor", Severity.WARN, subject, "vendor-specific VFIO vGPU: all " + vfs.size()
                    + " VFs are vGPUs already", "release one no domain uses: " + FixCommand.of("vgpu", "remove", "--vf", vfs.get(0).address().toString()), ev);
        }
        return Finding.pass("vgpu.vendor", subject, "vendor-specific VFIO vGPU (NVIDIA vGPU 17+, no mdev bus): " + vfs.size() + " VFs, "
                + free + " free; creatable now: " + String.join(", ", creatable), ev);
    }

    private static Finding parentFinding(String name, List<MdevType> types, long existing) {
        List<String> ev = new ArrayList<>();
        int free = 0;
        for (MdevType t : types) {
            ev.add(t.id() + " \"" + t.name() + "\" " + t.deviceApi() + ", " + t.availableInstances() + " available");
            free += t.availableInstances();
        }
        ev.add(existing + " mdevs exist on it");
        if (free == 0) {
            return new Finding("mdev.parent", Severity.WARN, name, "mediated-device parent with " + types.size()
                    + " types, none with free instances", "remove unused mdevs (see: " + FixCommand.of("mdev", "list") + "), or use another parent", ev);
        }
        return Finding.pass("mdev.parent", name, "mediated-device parent: " + types.size() + " types, " + free + " instances free", ev);
    }
}
