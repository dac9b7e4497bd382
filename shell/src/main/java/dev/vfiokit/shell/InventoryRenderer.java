package dev.vfiokit.shell;

import dev.vfiokit.iommucheck.check.GroupReport;
import dev.vfiokit.iommucheck.host.MdevType;
import dev.vfiokit.iommucheck.host.PciDevice;
import dev.vfiokit.iommucheck.host.PciIdNames;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** PCI devices and IOMMU groups as tables, or as the documented JSON shapes. */
final class InventoryRenderer {
    private InventoryRenderer() {
    }

    static String devicesText(List<PciDevice> devices, PciIdNames names) {
        TextTable t = new TextTable("ADDRESS", "CLASS", "IDS", "DRIVER", "GROUP", "NUMA", "NAME", "NOTES");
        for (PciDevice d : devices) {
            t.row(d.address().toString(), d.classWord(), d.ids(), d.driver() == null ? "-" : d.driver(),
                    d.iommuGroup() == null ? "-" : d.iommuGroup().toString(), d.numaNode() < 0 ? "-" : String.valueOf(d.numaNode()),
                    names.describe(d), notes(d));
        }
        return t.render() + devices.size() + " devices\n";
    }

    private static String notes(PciDevice d) {
        List<String> n = new ArrayList<>();
        if (d.bootVga()) {
            n.add("boot-vga");
        }
        if (d.isSriovPhysicalFunction()) {
            n.add("sriov " + d.sriov().numVfs() + "/" + d.sriov().totalVfs());
        }
        if (d.physfn() != null) {
            n.add("vf-of " + d.physfn());
        }
        if (!d.mdevTypes().isEmpty()) {
            n.add("mdev " + d.mdevTypes().size() + " types");
        }
        if (!d.netdevs().isEmpty()) {
            n.add(String.join(",", d.netdevs()));
        }
        if (d.link() != null && (d.link().narrowerThanCapable() || d.link().slowerThanCapable())) {
            n.add("link " + d.link().describeCurrent().split(" \\(")[0] + " of " + d.link().describeMax().split(" \\(")[0]);
        }
        return String.join("; ", n);
    }

    static Map<String, Object> deviceJson(PciDevice d, PciIdNames names) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("address", d.address().toString());
        m.put("class", d.classWord());
        m.put("classCode", String.format("0x%06x", d.classCode()));
        m.put("vendorId", String.format("%04x", d.vendorId()));
        m.put("deviceId", String.format("%04x", d.deviceId()));
        m.put("subsystem", String.format("%04x:%04x", d.subsystemVendorId(), d.subsystemDeviceId()));
        m.put("name", names.describe(d));
        m.put("driver", d.driver());
        m.put("driverOverride", d.driverOverride());
        m.put("iommuGroup", d.iommuGroup());
        m.put("numaNode", d.numaNode());
        m.put("bootVga", d.bootVga());
        m.put("bridge", d.isBridge());
        m.put("sriov", d.sriov() == null ? null : Map.of("totalVfs", d.sriov().totalVfs(), "numVfs", d.sriov().numVfs(),
                "virtfns", d.sriov().virtfns().stream().map(Object::toString).toList()));
        m.put("physfn", d.physfn() == null ? null : d.physfn().toString());
        if (d.link() == null) {
            m.put("link", null);
        } else {
            Map<String, Object> l = new LinkedHashMap<>();
            l.put("currentSpeed", d.link().currentSpeed());
            l.put("currentWidth", d.link().currentWidth());
            l.put("maxSpeed", d.link().maxSpeed());
            l.put("maxWidth", d.link().maxWidth());
            m.put("link", l);
        }
        m.put("resetMethods", d.resetMethods());
        m.put("rom", d.hasRom());
        m.put("netdevs", d.netdevs());
        m.put("mdevTypes", d.mdevTypes().stream().map(InventoryRenderer::mdevTypeJson).toList());
        if (d.vendorVgpu() != null) {
            // a VF of NVIDIA's vendor-specific VFIO vGPU: the type it is (0: free) and the types it can take now
            Map<String, Object> v = new LinkedHashMap<>();
            v.put("type", d.vendorVgpu().currentType());
            v.put("creatable", d.vendorVgpu().creatable().stream().map(t -> Map.of("id", t.id(), "name", t.name())).toList());
            m.put("vendorVgpu", v);
        }
        if (d.vfioDevice() != null) {
            // bound to a VFIO driver: its VFIO device (vfio-dev/vfioN; the cdev /dev/vfio/devices/vfioN where the kernel has one)
            m.put("vfioDevice", d.vfioDevice());
        }
        if (d.power().state() != null) {
            Map<String, Object> p = new LinkedHashMap<>();
            p.put("state", d.power().state());
            p.put("d3coldAllowed", d.power().d3coldAllowed());
            m.put("power", p);
        }
        return m;
    }

    static Map<String, Object> mdevTypeJson(MdevType t) {
        Map<String, Object> tm = new LinkedHashMap<>();
        tm.put("id", t.id());
        tm.put("name", t.name());
        tm.put("description", t.description());
        tm.put("deviceApi", t.deviceApi());
        tm.put("availableInstances", t.availableInstances());
        return tm;
    }

    static String groupsText(List<GroupReport> groups, PciIdNames names) {
        StringBuilder sb = new StringBuilder();
        TextTable t = new TextTable("GROUP", "VIABLE", "ISOLATED", "ADDRESS", "CLASS", "DRIVER", "NAME");
        for (GroupReport g : groups) {
            boolean first = true;
            for (PciDevice m : g.members()) {
                t.row(first ? String.valueOf(g.id()) : "", first ? yesNo(g.viable()) : "", first ? yesNo(g.isolated()) : "",
                        m.address().toString(), m.classWord(), m.driver() == null ? "-" : m.driver(), names.describe(m));
                first = false;
            }
        }
        sb.append(t.render());
        long notViable = groups.stream().filter(g -> !g.viable()).count();
        sb.append(groups.size()).append(" groups, ").append(notViable)
                .append(" not viable for vfio now (a member is held by a host driver)\n");
        return sb.toString();
    }

    private static String yesNo(boolean b) {
        return b ? "yes" : "no";
    }

    static Map<String, Object> groupJson(GroupReport g) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", g.id());
        m.put("viable", g.viable());
        m.put("isolated", g.isolated());
        m.put("members", g.members().stream().map(d -> {
            Map<String, Object> dm = new LinkedHashMap<>();
            dm.put("address", d.address().toString());
            dm.put("class", d.classWord());
            dm.put("ids", d.ids());
            dm.put("driver", d.driver());
            dm.put("bridge", d.isBridge());
            return dm;
        }).toList());
        m.put("blockers", g.blockers().stream().map(d -> d.address().toString()).toList());
        m.put("hostNeeded", g.hostNeeded().stream().map(h -> Map.of("address", h.address().toString(), "why", h.why())).toList());
        return m;
    }
}
