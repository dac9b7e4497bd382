package dev.vfiokit.shell;

import dev.vfiokit.templates.engine.KubevirtConfig;
import dev.vfiokit.templates.engine.NovaConfig;
import dev.vfiokit.templates.engine.PassthroughInventory;
import org.springframework.shell.core.command.annotation.Command;
import org.springframework.shell.core.command.annotation.Option;
import org.springframework.stereotype.Component;

import java.util.LinkedHashMap;
import java.util.Map;

/** export kubevirt|nova: a host's passthrough devices as the configuration those engines want. */
@Component
public class ExportCommands {
    private final HostSelection hosts;

    public ExportCommands(HostSelection hosts) {
        this.hosts = hosts;
    }

    private PassthroughInventory inventory(String host, String root, String connect) {
        HostSelection.Selected h = hosts.select(host, root, connect);
        return PassthroughInventory.of(h.snapshot(), h.names(h.snapshot().devices()));
    }

    @Command(name = "export kubevirt", group = "Engines", description = "KubeVirt's permittedHostDevices (PCI devices and "
            + "mdev types) for this host's passthrough devices, as a merge patch of the KubeVirt CR. Example: vfiokit export "
            + "kubevirt --host demo > kubevirt-patch.yaml")
    public CommandOutput kubevirt(@Option(longName = "json", description = "print as JSON") boolean json,
                                  @Option(longName = "output", description = "write to this file (unchanged when it holds the same)") String output,
                                  @Option(longName = "host", description = "local (default) or demo") String host,
                                  @Option(longName = "root", description = "read a sysfs/procfs tree rooted at PATH") String root,
                                  @Option(longName = "connect", description = "read a host through libvirt alone, e.g. qemu+ssh://gpu1/system") String connect) {
        PassthroughInventory inv = inventory(host, root, connect);
        String text = json ? Json.write(withNotes(KubevirtConfig.of(inv), inv)) : KubevirtConfig.yaml(inv);
        return emit(text, output);
    }

    @Command(name = "export nova", group = "Engines", description = "OpenStack Nova's [pci] device_spec and alias, [devices] "
            + "enabled_mdev_types and [mdev_TYPE] sections for this host's passthrough devices. Example: vfiokit export nova "
            + "--host demo --physnet physnet1")
    public CommandOutput nova(@Option(longName = "physnet", description = "Neutron physical network of the SR-IOV NIC VFs (default: VFs as plain PCI passthrough)") String physnet,
                              @Option(longName = "output", description = "write to this file (unchanged when it holds the same)") String output,
                              @Option(longName = "host", description = "local (default) or demo") String host,
                              @Option(longName = "root", description = "read a sysfs/procfs tree rooted at PATH") String root,
                              @Option(longName = "connect", description = "read a host through libvirt alone, e.g. qemu+ssh://gpu1/system") String connect) {
        if (physnet != null && !physnet.matches("[A-Za-z0-9_.-]{1,64}")) {
            throw new IllegalArgumentException("--physnet '" + physnet + "': a physical network name is letters, digits, '_', '.', '-'");
        }
        return emit(NovaConfig.ini(inventory(host, root, connect), physnet), output);
    }

    /** {host, kubevirt: the CR fragment as is, notes}: the notes stay out of what goes to the cluster. */
    private static Map<String, Object> withNotes(Map<String, Object> cr, PassthroughInventory inv) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("host", inv.host());
        m.put("kubevirt", cr);
        m.put("notes", inv.notes());
        return m;
    }

    /**
     * To stdout, or to a file: written only when its content differs, and saying which (automation's "changed"); a
     * file vfiokit did not export (its first line is not "# vfiokit export") is not replaced.
     */
    private static CommandOutput emit(String text, String output) {
        if (output == null) {
            return CommandOutput.ok(text);
        }
        return CommandOutput.ok(CommandOutputFile.write(output, text, before -> before.startsWith("# vfiokit export ")) + "\n");
    }
}
