package dev.vfiokit.shell;

import dev.vfiokit.iommucheck.host.MdevParent;
import dev.vfiokit.iommucheck.host.MdevType;
import dev.vfiokit.iommucheck.host.MediatedDevice;
import dev.vfiokit.iommucheck.host.MdevUuid;
import dev.vfiokit.libvirt.AssignedDevices;
import dev.vfiokit.vfio.MdevPlanner;
import dev.vfiokit.vfio.Operation;
import org.springframework.shell.core.command.annotation.Command;
import org.springframework.shell.core.command.annotation.Option;
import org.springframework.stereotype.Component;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** mdev types|list|create|remove|persist: mediated devices (vGPU), journaled and undoable like binds. */
@Component
public class MdevCommands {
    private final HostSelection hosts;
    private final LibvirtTargets targets;
    private final ChangeOutput changes;

    public MdevCommands(HostSelection hosts, LibvirtTargets targets) {
        this.hosts = hosts;
        this.targets = targets;
        this.changes = new ChangeOutput(hosts);
    }

    /** mdev UUID to the domain using it, when libvirt can say (a note otherwise). */
    Map<String, String> users(String host, String root, List<String> notes) {
        return users(host, root, null, notes);
    }

    private Map<String, String> users(String host, String root, String connect, List<String> notes) {
        return targets.readIfReachable(host, root, connect, notes, AssignedDevices::mdevs, Map.of());
    }

    private static final String CONNECT = "read a host through libvirt alone (its node devices), e.g. qemu+ssh://gpu1/system";

    @Command(name = "mdev types", group = "Mediated devices", description = "List mdev parents and their types (vGPU "
            + "profiles) with free instances. Example: vfiokit mdev types --host demo, or --connect qemu+ssh://gpu1/system")
    public CommandOutput types(@Option(longName = "parent", description = "one parent (PCI address or name)") String parent,
                               @Option(longName = "json", description = "print as JSON") boolean json,
                               @Option(longName = "host", description = "local (default) or demo") String host,
                               @Option(longName = "root", description = "a sysfs tree rooted at PATH") String root,
                               @Option(longName = "connect", description = CONNECT) String connect) {
        HostSelection.Selected h = hosts.select(host, root, connect);
        List<MdevParent> parents = parent == null ? h.snapshot().mdevParents() : List.of(new MdevPlanner(h.snapshot()).parent(parent));
        if (json) {
            return CommandOutput.ok(Json.write(Map.of("parents", parents.stream().map(p -> {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("name", p.name());
                m.put("pci", p.pciAddress() != null);
                m.put("types", p.types().stream().map(InventoryRenderer::mdevTypeJson).toList());
                return m;
            }).toList())));
        }
        TextTable t = new TextTable("PARENT", "TYPE", "NAME", "FREE", "DESCRIPTION");
        for (MdevParent p : parents) {
            for (MdevType x : p.types()) {
                t.row(p.name(), x.id(), x.name(), String.valueOf(x.availableInstances()), x.description());
            }
        }
        return CommandOutput.ok(parents.isEmpty() ? "no mediated-device parents on host " + h.snapshot().source() + "\n" : t.render());
    }

    @Command(name = "mdev list", group = "Mediated devices", description = "List existing mdevs with type, parent, IOMMU "
            + "group and the domain using each. Example: vfiokit mdev list --host demo --json")
    public CommandOutput list(@Option(longName = "json", description = "print as JSON") boolean json,
                              @Option(longName = "host", description = "local (default) or demo") String host,
                              @Option(longName = "root", description = "a sysfs tree rooted at PATH") String root,
                              @Option(longName = "connect", description = CONNECT) String connect) {
        HostSelection.Selected h = hosts.select(host, root, connect);
        List<String> notes = new ArrayList<>();
        Map<String, String> users = users(host, root, connect, notes);
        List<MediatedDevice> mdevs = h.snapshot().mdevs();
        if (json) {
            return CommandOutput.ok(Json.write(Map.of("mdevs", mdevs.stream().map(m -> {
                Map<String, Object> mm = new LinkedHashMap<>();
                mm.put("uuid", m.uuid());
                mm.put("parent", m.parent());
                mm.put("type", m.type());
                mm.put("iommuGroup", m.iommuGroup());
                mm.put("domain", users.get(m.uuid()));
                return mm;
            }).toList(), "notes", notes)));
        }
        TextTable t = new TextTable("UUID", "PARENT", "TYPE", "GROUP", "DOMAIN");
        mdevs.forEach(m -> t.row(m.uuid(), m.parent(), m.type(), String.valueOf(m.iommuGroup()), users.getOrDefault(m.uuid(), "-")));
        StringBuilder sb = new StringBuilder(mdevs.isEmpty() ? "no mdevs\n" : t.render());
        notes.forEach(n -> sb.append("note: ").append(n).append('\n'));
        return CommandOutput.ok(sb.toString());
    }

    @Command(name = "mdev create", group = "Mediated devices", description = "Create mdevs of a type on a parent "
            + "(journaled, undoable; --persist writes mdevctl definitions). Example: sudo vfiokit mdev create --parent 0000:a1:00.0 --type nvidia-222 --count 2")
    public CommandOutput create(@Option(longName = "parent", required = true, description = "parent: PCI address or name (mtty)") String parent,
                                @Option(longName = "type", required = true, description = "type id (nvidia-222) or name (GRID T4-1B)") String type,
                                @Option(longName = "uuid", description = "the UUID (default: a new random one)") String uuid,
                                @Option(longName = "count", defaultValue = "1", description = "how many") int count,
                                @Option(longName = "persist", description = "mdevctl definition: start at boot") boolean persist,
                                @Option(longName = "dry-run", description = "print the plan, change nothing") boolean dryRun,
                                @Option(longName = "json", description = "print as JSON") boolean json,
                                @Option(longName = "host", description = "local (default) or demo (dry run only)") String host,
                                @Option(longName = "root", description = "a sysfs tree rooted at PATH") String root) {
        HostSelection.Selected h = changes.writable(host, root, dryRun);
        Operation op = new MdevPlanner(h.snapshot()).create(parent, type, uuid == null ? null : MdevUuid.parse(uuid), count, persist);
        return ChangeOutput.run(op, h, dryRun, json, List.of());
    }

    @Command(name = "mdev remove", group = "Mediated devices", description = "Remove mdevs (refused while a domain uses "
            + "one, unless --force; journaled, undo creates them again). Example: sudo vfiokit mdev remove --uuid UUID")
    public CommandOutput remove(@Option(longName = "uuid", required = true, description = "mdev UUID(s)") String[] uuid,
                                @Option(longName = "force", description = "even when a domain uses it") boolean force,
                                @Option(longName = "dry-run", description = "print the plan, change nothing") boolean dryRun,
                                @Option(longName = "json", description = "print as JSON") boolean json,
                                @Option(longName = "host", description = "local (default) or demo (dry run only)") String host,
                                @Option(longName = "root", description = "a sysfs tree rooted at PATH") String root) {
        List<MdevUuid> uuids = new ArrayList<>();
        for (String u : uuid) {
            for (String one : u.split(",")) {
                uuids.add(MdevUuid.parse(one));
            }
        }
        HostSelection.Selected h = changes.writable(host, root, dryRun);
        List<String> notes = new ArrayList<>();
        Operation op = new MdevPlanner(h.snapshot()).remove(uuids, force, users(host, root, notes));
        return ChangeOutput.run(op, h, dryRun, json, notes);
    }

    @Command(name = "mdev persist list", group = "Mediated devices", description = "List mdevctl definitions "
            + "(/etc/mdevctl.d). Example: vfiokit mdev persist list")
    public CommandOutput persistList(@Option(longName = "host", description = "local (default) or demo") String host,
                                     @Option(longName = "root", description = "a sysfs tree rooted at PATH") String root) {
        HostSelection.Selected h = hosts.select(host, root);
        TextTable t = new TextTable("PARENT", "UUID", "DEFINITION");
        int n = 0;
        for (String parent : h.root().list("/etc/mdevctl.d")) {
            for (String u : h.root().list("/etc/mdevctl.d/" + parent)) {
                t.row(parent, u, h.root().read("/etc/mdevctl.d/" + parent + "/" + u).orElse("").replaceAll("\\s+", " "));
                n++;
            }
        }
        return CommandOutput.ok(n == 0 ? "no mdevctl definitions\n" : t.render());
    }

    @Command(name = "mdev persist remove", group = "Mediated devices", description = "Remove an mdev's mdevctl definition "
            + "(the mdev itself stays). Example: sudo vfiokit mdev persist remove --uuid UUID")
    public CommandOutput persistRemove(@Option(longName = "uuid", required = true, description = "mdev UUID") String uuid,
                                       @Option(longName = "dry-run", description = "print the plan, change nothing") boolean dryRun,
                                       @Option(longName = "host", description = "local (default)") String host,
                                       @Option(longName = "root", description = "a sysfs tree rooted at PATH") String root) {
        MdevUuid id = MdevUuid.parse(uuid);
        HostSelection.Selected h = changes.writable(host, root, dryRun);
        return ChangeOutput.run(new MdevPlanner(h.snapshot()).unpersist(h.root(), id), h, dryRun, false, List.of());
    }
}
