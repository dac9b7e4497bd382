package dev.vfiokit.shell;

import dev.vfiokit.iommucheck.check.GroupAnalyzer;
import dev.vfiokit.iommucheck.check.GroupReport;
import dev.vfiokit.iommucheck.host.PciDevice;
import dev.vfiokit.iommucheck.host.PciIdNames;
import org.springframework.shell.core.command.annotation.Command;
import org.springframework.shell.core.command.annotation.Option;
import org.springframework.stereotype.Component;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** {@code devices} and {@code groups}: what the host has, as vfio sees it. */
@Component
public class InventoryCommands {
    private static final Set<String> CLASSES = Set.of("gpu", "audio", "net", "storage", "usb", "bridge", "serial-bus",
            "accelerator", "system", "other");
    private final HostSelection hosts;

    public InventoryCommands(HostSelection hosts) {
        this.hosts = hosts;
    }

    @Command(name = "devices", group = "Host", description = "List PCI functions with driver, IOMMU group, NUMA node, "
            + "SR-IOV and link state. Example: vfiokit devices --host demo --class gpu")
    public CommandOutput devices(
            @Option(longName = "class", description = "only this class: gpu, audio, net, storage, usb, bridge, serial-bus, accelerator, system, other") String cls,
            @Option(longName = "json", description = "print as JSON") boolean json,
            @Option(longName = "host", description = "local (default) or demo") String host,
            @Option(longName = "root", description = "read a sysfs/procfs tree rooted at PATH") String root,
            @Option(longName = "connect", description = "read a host through libvirt alone (node devices), e.g. qemu+ssh://gpu1/system; several (repeated or comma-separated) are read in parallel") String[] connects,
            @Option(longName = "timeout", description = "seconds to wait for a --connect host to answer (default 30)") String timeout) {
        if (cls != null && !CLASSES.contains(cls)) {
            throw new IllegalArgumentException("unknown class '" + cls + "' (expected one of " + String.join(", ", CLASSES.stream().sorted().toList()) + ")");
        }
        return ManyHosts.each(hosts, host, root, connects, timeout, json, h -> {
            List<PciDevice> devices = h.snapshot().devices().stream().filter(d -> cls == null || d.classWord().equals(cls)).toList();
            PciIdNames names = h.names(devices);
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("host", h.snapshot().source());
            m.put("devices", devices.stream().map(d -> InventoryRenderer.deviceJson(d, names)).toList());
            return new ManyHosts.HostReport(m, () -> InventoryRenderer.devicesText(devices, names), ExitStatus.OK);
        });
    }

    @Command(name = "groups", group = "Host", description = "List IOMMU groups with their members and drivers, and "
            + "whether each is viable for vfio and isolated. Example: vfiokit groups --host demo --json")
    public CommandOutput groups(
            @Option(longName = "json", description = "print as JSON") boolean json,
            @Option(longName = "host", description = "local (default) or demo") String host,
            @Option(longName = "root", description = "read a sysfs/procfs tree rooted at PATH") String root,
            @Option(longName = "connect", description = "read a host through libvirt alone (node devices), e.g. qemu+ssh://gpu1/system; several (repeated or comma-separated) are read in parallel") String[] connects,
            @Option(longName = "timeout", description = "seconds to wait for a --connect host to answer (default 30)") String timeout) {
        // groups reads only what groups are judged by: on a host with thousands of VFs the rest is most of the work
        return ManyHosts.each(hosts, host, root, connects, timeout, json, HostSelection.Extent.GROUPS, h -> {
            List<GroupReport> groups = new GroupAnalyzer(h.snapshot()).all();
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("host", h.snapshot().source());
            m.put("groups", groups.stream().map(InventoryRenderer::groupJson).toList());
            return new ManyHosts.HostReport(m, () -> groups.isEmpty() ? "no IOMMU groups on host " + h.snapshot().source()
                    + ": the IOMMU is off (see: vfiokit check" + ScriptWords.options(h.target()) + ")\n" : InventoryRenderer.groupsText(groups, h.names(h.snapshot().devices())), ExitStatus.OK);
        });
    }
}
