package dev.vfiokit.templates.engine;

import dev.vfiokit.iommucheck.host.PciAddress;

import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;

/**
 * OpenStack Nova's nova.conf sections for what a host offers, in the shape Nova documents ("Attaching physical PCI
 * devices to guests", "Attaching virtual GPU devices to guests"): {@code [pci] device_spec} (one JSON object a line,
 * by vendor_id/product_id and address) and {@code alias} (name, device_type type-PCI / type-PF / type-VF: Nova counts a
 * function with SR-IOV capability as type-PF), {@code [devices] enabled_mdev_types} and one {@code [mdev_TYPE]
 * device_addresses} section per type. device_spec goes to the compute node; alias to the API and compute nodes.
 */
public final class NovaConfig {
    private NovaConfig() {
    }

    /** @param physnet the Neutron physical network for SR-IOV NIC VFs (null: VFs are plain PCI passthrough) */
    public static String ini(PassthroughInventory inv, String physnet) {
        StringBuilder sb = new StringBuilder("# vfiokit export nova: host ").append(inv.host()).append('\n')
                .append("# [pci] device_spec on this compute node; [pci] alias on the API and compute nodes alike\n");
        inv.notes().forEach(n -> sb.append("# ").append(n).append('\n'));
        if (!inv.models().isEmpty()) {
            sb.append("[pci]\n");
            for (PassthroughInventory.PciModel m : inv.models()) {
                if (m.type() == PassthroughInventory.DeviceType.VF && physnet != null && !m.pfNetdevs().isEmpty()) {
                    // SR-IOV ports through Neutron: the PF's netdev names its VFs
                    for (String pf : m.pfNetdevs()) {
                        sb.append("device_spec = {\"devname\": ").append(json(pf)).append(", \"physical_network\": ")
                                .append(json(physnet)).append("}\n");
                    }
                    continue;
                }
                for (PciAddress a : m.addresses()) {
                    sb.append("device_spec = {\"vendor_id\": \"").append(hex(m.vendorId())).append("\", \"product_id\": \"")
                            .append(hex(m.deviceId())).append("\", \"address\": \"").append(a).append("\"}\n");
                }
            }
            Set<String> aliases = new LinkedHashSet<>();
            for (PassthroughInventory.PciModel m : inv.models()) {
                String name = alias(m, aliases);
                sb.append("alias = {\"vendor_id\": \"").append(hex(m.vendorId())).append("\", \"product_id\": \"")
                        .append(hex(m.deviceId())).append("\", \"device_type\": \"type-").append(m.type())
                        .append("\", \"name\": ").append(json(name)).append("}\n");
            }
        }
        if (!inv.mdevTypes().isEmpty()) {
            sb.append("[devices]\nenabled_mdev_types = ").append(String.join(", ", inv.mdevTypes().stream()
                    .map(PassthroughInventory.MdevOffer::typeId).toList())).append('\n');
            for (PassthroughInventory.MdevOffer o : inv.mdevTypes()) {
                sb.append("[mdev_").append(o.typeId()).append("]\n").append("# ").append(o.typeName()).append('\n')
                        .append("device_addresses = ").append(String.join(",", o.parentAddresses().stream().map(PciAddress::toString).toList()))
                        .append('\n');
            }
        }
        return sb.toString();
    }

    /** An alias name from the device's name ("a10", "connectx-6-dx-vf"), unique in this file. */
    private static String alias(PassthroughInventory.PciModel m, Set<String> taken) {
        String base = m.name() == null ? hex(m.vendorId()) + "-" + hex(m.deviceId())
                : m.name().toLowerCase(Locale.ROOT).replaceAll("\\[|\\]", " ").replaceAll("[^a-z0-9]+", "-").replaceAll("^-|-$", "");
        if (m.type() == PassthroughInventory.DeviceType.VF && !base.endsWith("-vf") && !base.contains("virtual-function")) {
            base = base + "-vf";
        }
        String name = base;
        for (int i = 2; !taken.add(name); i++) {
            name = base + "-" + i;
        }
        return name;
    }

    private static String hex(int id) {
        return String.format("%04x", id);
    }

    private static String json(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
