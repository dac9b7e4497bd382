package dev.vfiokit.iommucheck.host;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.Set;
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

    /** Every function, read in parallel: thousands of VFs make this the slow part of a snapshot. */
    List<PciDevice> readAll() {
        return readEach(name -> read(PciAddress.parse(name)));
    }

    /** Each function's directory name read by {@code reader}, in parallel, in address order. */
    private List<PciDevice> readEach(java.util.function.Function<String, PciDevice> reader) {
        return root.list(DEVICES).parallelStream().filter(PciAddress::looksLike)
                .map(reader).sorted((a, b) -> a.address().compareTo(b.address())).toList();
    }

    /**
     * Every function with what IOMMU groups are judged by and nothing else (ids, class, driver, group, network
     * interfaces): a third of the files {@link #read} opens, and no listing of each device's directory.
     */
    List<PciDevice> readGroupMembers() {
        return readEach(this::groupMember);
    }

    private PciDevice groupMember(String name) {
        PciAddress address = PciAddress.parse(name);
        String d = DEVICES + name + "/";
        Integer group = root.linkName(d + "iommu_group").flatMap(HostRoot::parseInt).orElse(null);
        return new PciDevice(address, root.readHexId(d + "vendor", 0), root.readHexId(d + "device", 0), 0, 0,
                root.readHexId(d + "class", 0), root.linkName(d + "driver").orElse(null), null, group, -1, false, null, null,
                null, List.of(), false, false, root.list(d + "net"), List.of(), List.of(), null, null, null, DevicePower.UNKNOWN);
    }

    PciDevice read(PciAddress address) {
        String d = DEVICES + address + "/";
        // one directory listing tells which attributes exist: reading absent ones costs an exception each
        Entries e = new Entries(d, new HashSet<>(root.list(d)));
        Integer group = e.link("iommu_group").flatMap(HostRoot::parseInt).orElse(null);
        String override = e.read("driver_override").filter(s -> !s.isEmpty() && !"(null)".equals(s)).orElse(null);
        List<String> resetMethods = e.read("reset_method")
                .map(s -> s.isBlank() ? List.<String>of() : List.of(s.split("\\s+"))).orElse(List.of());
        return new PciDevice(address, e.hex("vendor"), e.hex("device"), e.hex("subsystem_vendor"),
                e.hex("subsystem_device"), e.hex("class"), e.link("driver").orElse(null), override,
                group, e.readInt("numa_node").orElse(-1), e.readInt("boot_vga").orElse(0) == 1,
                sriov(e), e.link("physfn").filter(PciAddress::looksLike).map(PciAddress::parse).orElse(null), link(e),
                resetMethods, !resetMethods.isEmpty() || e.has("reset"), e.has("rom"),
                e.has("net") ? root.list(d + "net") : List.of(),
                e.has("mdev_supported_types") ? mdevTypes(d + "mdev_supported_types/") : List.of(),
                e.read("resource").map(Bar::parse).orElse(List.of()), e.has("nvidia") ? vendorVgpu(d + "nvidia/") : null,
                e.read("modalias").orElse(null), e.has("vfio-dev") ? root.list(d + "vfio-dev").stream().findFirst().orElse(null) : null,
                new DevicePower(e.read("power_state").orElse(null), e.readInt("d3cold_allowed").map(v -> v == 1).orElse(null)));
    }

    /** NVIDIA's vendor-specific VFIO vGPU files of a VF; null where the nvidia/ directory has none. */
    private VendorVgpu vendorVgpu(String dir) {
        Optional<String> current = root.read(dir + "current_vgpu_type");
        if (current.isEmpty()) {
            return null;
        }
        return new VendorVgpu(HostRoot.parseInt(current.get()).orElse(0),
                VendorVgpu.parseCreatable(root.read(dir + "creatable_vgpu_types").orElse("")));
    }

    /** The attributes present in one device directory. */
    private final class Entries {
        final String dir;
        final Set<String> names;

        Entries(String dir, Set<String> names) {
            this.dir = dir;
            this.names = names;
        }

        boolean has(String name) {
            return names.contains(name);
        }

        Optional<String> read(String name) {
            return has(name) ? root.read(dir + name) : Optional.empty();
        }

        Optional<Integer> readInt(String name) {
            return read(name).flatMap(HostRoot::parseInt);
        }

        int hex(String name) {
            return readInt(name).orElse(0);
        }

        Optional<String> link(String name) {
            return has(name) ? root.linkName(dir + name) : Optional.empty();
        }
    }

    private Sriov sriov(Entries e) {
        Optional<Integer> total = e.readInt("sriov_totalvfs");
        if (total.isEmpty()) {
            return null;
        }
        String d = e.dir;
        List<PciAddress> vfs = new ArrayList<>();
        Map<Integer, PciAddress> byIndex = new TreeMap<>();
        for (String entry : e.names) {
            if (entry.startsWith("virtfn")) {
                Optional<Integer> idx = HostRoot.parseInt(entry.substring("virtfn".length()));
                Optional<String> target = root.linkName(d + entry);
                if (idx.isPresent() && target.isPresent() && PciAddress.looksLike(target.get())) {
                    byIndex.put(idx.get(), PciAddress.parse(target.get()));
                }
            }
        }
        vfs.addAll(byIndex.values());
        Boolean autoprobe = e.readInt("sriov_drivers_autoprobe").map(v -> v == 1).orElse(null);
        // sriov_vf_device is hex without 0x (drivers/pci/iov.c: "%x")
        Integer vfDevice = e.read("sriov_vf_device").map(v -> {
            try {
                return Integer.parseInt(v.strip(), 16);
            } catch (NumberFormatException x) {
                return null;
            }
        }).orElse(null);
        return new Sriov(total.get(), e.readInt("sriov_numvfs").orElse(0), vfs, autoprobe, vfDevice);
    }

    private PcieLink link(Entries e) {
        Optional<String> max = e.read("max_link_speed");
        if (max.isEmpty()) {
            return null;
        }
        return new PcieLink(e.read("current_link_speed").orElse("Unknown"), max.get(),
                e.readInt("current_link_width").orElse(0), e.readInt("max_link_width").orElse(0));
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
