package dev.vfiokit.iommucheck.host;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * NVIDIA's vendor-specific VFIO vGPU on one SR-IOV VF (vGPU 17 and later on Ada, Hopper and Blackwell GPUs with
 * kernel 6.8+, where there is no mdev bus): the VF stays on the {@code nvidia} driver, and its
 * {@code nvidia/creatable_vgpu_types} lists the types it can take now ("ID : vGPU Name" lines under a header, as
 * NVIDIA's vGPU user guide and Proxmox qemu-server's PCI.pm read it). Writing a type id to
 * {@code nvidia/current_vgpu_type} makes the VF that vGPU; writing 0 releases it.
 *
 * @param currentType the type the VF is now, 0 when it is none (free)
 * @param creatable   the types the VF can take now; the list shrinks as other VFs of the GPU are used
 */
public record VendorVgpu(int currentType, List<VgpuType> creatable) {
    public VendorVgpu {
        creatable = List.copyOf(creatable);
    }

    /** A vGPU type: its numeric id (what current_vgpu_type takes) and NVIDIA's name (NVIDIA L40S-12Q). */
    public record VgpuType(int id, String name) {
    }

    public boolean free() {
        return currentType == 0;
    }

    /** The creatable type with this id or name, if the VF offers it now. */
    public Optional<VgpuType> creatable(String idOrName) {
        return creatable.stream().filter(t -> String.valueOf(t.id()).equals(idOrName) || t.name().equals(idOrName)).findFirst();
    }

    /** Parses creatable_vgpu_types: a header line starting with "ID", then "1177 : NVIDIA L40S-12Q" lines. */
    public static List<VgpuType> parseCreatable(String text) {
        List<VgpuType> out = new ArrayList<>();
        for (String line : text.split("\n")) {
            String l = line.strip();
            int colon = l.indexOf(':');
            if (l.isEmpty() || l.startsWith("ID") || colon < 0) {
                continue;
            }
            try {
                out.add(new VgpuType(Integer.parseInt(l.substring(0, colon).strip()), l.substring(colon + 1).strip()));
            } catch (NumberFormatException e) {
                // a line the driver did not write (or a format it changed): not a type vfiokit can write back
            }
        }
        return out;
    }
}
