package dev.vfiokit.iommucheck.host;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** Reads every PCI function under /sys/bus/pci/devices, and the IOMMU groups they are in. */
final class PciDeviceReader {
    private static final String DEVICES = "/sys/bus/pci/devices/";

    private final HostRoot root;

    PciDeviceReader(HostRoot root) {
        this.root = root;
    }

    List<PciDevice> readAll() {
        List<PciDevice> out = new ArrayList<>();
        for (String name : root.list(DEVICES)) {
            if (PciAddress.looksLike(name)) {
                out.add(read(PciAddress.parse(name)));
            }
        }
        out.sort((a, b) -> a.address().compareTo(b.address()));
        return out;
    }

    PciDevice read(PciAddress address) {
        String d = DEVICES + address + "/";
        Integer group = root.linkName(d + "iommu_group").flatMap(HostRoot::parseInt).orElse(null);
        String override = root.read(d + "driver_override").filter(s -> !s.isEmpty() && !"(null)".equals(s))
                .orElse(null);
        List<String> resetMethods = root.read(d + "reset_method")
                .map(s -> s.isBlank() ? List.<String>of() : List.of(s.split("\\s+"))).orElse(List.of());
        return new PciDevice(address, hex(d + "vendor"), hex(d + "device"), hex(d + "subsystem_vendor"),
                hex(d + "subsystem_device"), hex(d + "class"), root.linkName(d + "driver").orElse(null), override,
                group, root.readInt(d + "numa_node").orElse(-1), root.readInt(d + "boot_vga").orElse(0) == 1,
                sriov(d), root.linkName(d + "physfn").map(PciAddress::parse).orElse(null), link(d), resetMethods,
                !resetMethods.isEmpty() || root.exists(d + "reset"), root.exists(d + "rom"), root.list(d + "net"),
                mdevTypes(d + "mdev_supported_types/"));
    }

    private int hex(String file) {
        return root.readInt(file).orElse(0);
    }

    private Sriov sriov(String d) {
        Optional<Integer> total = root.readInt(d + "sriov_totalvfs");
        if (total.isEmpty()) {
            return null;
        }
        List<PciAddress> vfs = new ArrayList<>();
        Map<Integer, PciAddress> byIndex = new TreeMap<>();
        for (String entry : root.list(d)) {
            if (entry.startsWith("virtfn")) {
                Optional<Integer> idx = HostRoot.parseInt(entry.substring("virtfn".length()));
                Optional<String> target = root.linkName(d + entry);
                if (idx.isPresent() && target.isPresent() && PciAddress.looksLike(target.get())) {
                    byIndex.put(idx.get(), PciAddress.parse(target.get()));
                }
            }
        }
        vfs.addAll(byIndex.values());
        Boolean autoprobe = root.readInt(d + "sriov_drivers_autoprobe").map(v -> v == 1).orElse(null);
        return new Sriov(total.get(), root.readInt(d + "sriov_numvfs").orElse(0), vfs, autoprobe);
    }

    private PcieLink link(String d) {
        Optional<String> max = root.read(d + "max_link_speed");
        if (max.isEmpty()) {
            return null;
        }
        return new PcieLink(root.read(d + "current_link_speed").orElse("Unknown"), max.get(),
                root.readInt(d + "current_link_width").orElse(0), root.readInt(d + "max_link_width").orElse(0));
    }

    private List<MdevType> mdevTypes(String dir) {
        List<MdevType> types = new ArrayList<>();
        for (String t : root.list(dir)) {
            String p = dir + t + "/";
            types.add(new MdevType(t, root.read(p + "name").orElse(t), root.read(p + "description").orElse(""),
                    root.read(p + "device_api").orElse(""), root.readInt(p + "available_instances").orElse(0)));
        }
        return types;
    }

    /** Groups from the devices' iommu_group links: the same facts as /sys/kernel/iommu_groups, read once. */
    static List<IommuGroup> groups(List<PciDevice> devices) {
        Map<Integer, List<PciAddress>> byGroup = new TreeMap<>();
        for (PciDevice d : devices) {
            if (d.iommuGroup() != null) {
                byGroup.computeIfAbsent(d.iommuGroup(), k -> new ArrayList<>()).add(d.address());
            }
        }
        return byGroup.entrySet().stream().map(e -> new IommuGroup(e.getKey(), e.getValue())).toList();
    }
}
