package dev.vfiokit.shell;

import dev.vfiokit.iommucheck.host.PciAddress;
import dev.vfiokit.iommucheck.host.PciDevice;
import dev.vfiokit.libvirt.AssignedDevices;
import dev.vfiokit.libvirt.DomainSummary;
import dev.vfiokit.libvirt.LibvirtConnection;
import dev.vfiokit.libvirt.LibvirtFailure;
import dev.vfiokit.libvirt.TestDriverHostFile;
import dev.vfiokit.shell.usecase.DefinitionHistory;
import dev.vfiokit.shell.usecase.HostChanges;
import dev.vfiokit.vfio.BindPlanner;
import dev.vfiokit.vfio.BindRequest;
import dev.vfiokit.vfio.Journal;
import dev.vfiokit.vfio.Operation;
import dev.vfiokit.vfio.PlanRunner;
import dev.vfiokit.vfio.SriovPlanner;
import org.springframework.shell.core.command.annotation.Command;
import org.springframework.shell.core.command.annotation.Option;
import org.springframework.stereotype.Component;
import dev.vfiokit.shell.cli.CompletedWith;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** bind, unbind, undo, persist, vf: changing a host, with plans, journal, undo. */
@Component
public class VfioCommands {
    private final HostSelection hosts;
    private final LibvirtTargets targets;

    public VfioCommands(HostSelection hosts, LibvirtTargets targets) {
        this.hosts = hosts;
        this.targets = targets;
    }

    HostSelection.Selected writable(String host, String root, boolean dryRun) {
        return new ChangeOutput(hosts).writable(host, root, dryRun);
    }

    CommandOutput run(Operation op, HostSelection.Selected h, boolean dryRun, boolean json, List<String> extraNotes) {
        return ChangeOutput.run(op, h, dryRun, json, extraNotes);
    }

    /** Devices running domains hold, when libvirt can say; otherwise a note. */
    private Map<PciAddress, String> runningDomainDevices(String host, String root, List<String> notes) {
        if (root != null) {
            return Map.of();
        }
        try (LibvirtConnection c = targets.open(host, null, true)) {
            Map<PciAddress, String> all = AssignedDevices.read(c);
            List<String> running = c.domains().stream().filter(DomainSummary::running).map(DomainSummary::name).toList();
            Map<PciAddress, String> out = new LinkedHashMap<>();
            all.forEach((a, d) -> {
                if (running.contains(d)) {
                    out.put(a, d);
                }
            });
            return out;
        } catch (LibvirtFailure e) {
            notes.add("not checked against running domains: " + e.getMessage());
            return Map.of();
        }
    }

    @Command(name = "bind", group = "Host changes", description = "Bind devices to vfio-pci with their whole IOMMU group "
            + "(driver_override, unbind, probe, verified), journaled and undoable. Example: sudo vfiokit bind --device 0000:41:00.0 --group --persist")
    public CommandOutput bind(
            @CompletedWith("pciAddresses") @Option(longName = "device", required = true, description = "PCI address(es)") String[] device,
            @Option(longName = "group", description = "take the other members of the IOMMU group along") boolean group,
            @Option(longName = "dry-run", description = "print the plan, change nothing") boolean dryRun,
            @Option(longName = "persist", description = "bind at every boot, by address (driverctl-compatible /etc/driverctl.d)") boolean persist,
            @Option(longName = "persist-by-id", description = "bind at boot by vendor:device (modprobe.d ids= + softdep)") boolean persistById,
            @Option(longName = "force", description = "bind even the boot GPU, a disk's controller, the default-route NIC, a running domain's device") boolean force,
            @Option(longName = "driver", description = "vfio-pci or a VFIO variant driver (default: the variant the kernel's modules.alias fits best, else vfio-pci)") String driver,
            @Option(longName = "via-libvirt", description = "detach through libvirt's node-device API (remote hosts)") boolean viaLibvirt,
            @Option(longName = "json", description = "print the plan and result as JSON") boolean json,
            @Option(longName = "host", description = "local (default) or demo (dry run only)") String host,
            @Option(longName = "root", description = "a sysfs tree rooted at PATH") String root,
            @Option(longName = "connect", description = "libvirt URI, with --via-libvirt") String connect) {
        List<String> notes = new ArrayList<>();
        if (viaLibvirt) {
            return viaLibvirt(Arguments.addresses(device), group, dryRun, host, connect, true);
        }
        HostSelection.Selected h = writable(host, root, dryRun);
        Map<PciAddress, String> running = runningDomainDevices(host, root, notes);
        Operation op = new BindPlanner(h.snapshot(), h.target()).bind(new BindRequest(Arguments.addresses(device), group, force, persist,
                persistById, running, driver));
        return run(op, h, dryRun, json, notes);
    }

    @Command(name = "unbind", group = "Host changes", description = "Release devices from vfio-pci; --restore hands them "
            + "back to their host drivers. Example: sudo vfiokit unbind --device 0000:41:00.0 0000:41:00.1 --restore")
    public CommandOutput unbind(
            @CompletedWith("pciAddresses") @Option(longName = "device", required = true, description = "PCI address(es)") String[] device,
            @Option(longName = "restore", description = "let the host drivers take them again") boolean restore,
            @Option(longName = "dry-run", description = "print the plan, change nothing") boolean dryRun,
            @Option(longName = "via-libvirt", description = "reattach through libvirt's node-device API") boolean viaLibvirt,
            @Option(longName = "json", description = "print the plan and result as JSON") boolean json,
            @Option(longName = "host", description = "local (default) or demo (dry run only)") String host,
            @Option(longName = "root", description = "a sysfs tree rooted at PATH") String root,
            @Option(longName = "connect", description = "libvirt URI, with --via-libvirt") String connect) {
        if (viaLibvirt) {
            return viaLibvirt(Arguments.addresses(device), false, dryRun, host, connect, false);
        }
        HostSelection.Selected h = writable(host, root, dryRun);
        return run(new BindPlanner(h.snapshot(), h.target()).unbind(Arguments.addresses(device), restore), h, dryRun, json, List.of());
    }

    private CommandOutput viaLibvirt(List<PciAddress> asked, boolean group, boolean dryRun, String host, String connect, boolean detach) {
        List<PciAddress> devices = asked;
        StringBuilder sb = new StringBuilder();
        if (detach) {
            // the same group rule as a sysfs bind, over the node devices libvirt reports: whole groups, nothing the host needs
            HostSelection.Selected h = hosts.select(host, null, connect);
            BindPlanner.Targets t = new BindPlanner(h.snapshot(), h.target()).targets(asked, group);
            devices = t.devices();
            t.notes().forEach(n -> sb.append("note: ").append(n).append('\n'));
        }
        for (PciAddress a : devices) {
            String name = TestDriverHostFile.nodeDeviceName(a);
            sb.append(detach ? "virNodeDeviceDetachFlags(" + name + ", \"vfio\")" : "virNodeDeviceReAttach(" + name + ")").append('\n');
        }
        if (dryRun) {
            return CommandOutput.ok("plan (dry run, nothing changed): through libvirt at " + targets.uri(host, connect) + "\n" + sb);
        }
        try (LibvirtConnection c = targets.open(host, connect, false)) {
            for (PciAddress a : devices) {
                if (detach) {
                    c.detach(TestDriverHostFile.nodeDeviceName(a), "vfio");
                } else {
                    c.reattach(TestDriverHostFile.nodeDeviceName(a));
                }
            }
        }
        return CommandOutput.ok(sb + (detach ? "detached" : "reattached") + " through libvirt (libvirt keeps the state; "
                + (detach ? "vfiokit unbind --via-libvirt" : "vfiokit bind --via-libvirt") + " reverses it)");
    }

    @Command(name = "undo", group = "Host changes", description = "Undo a journaled change (the last one, or --id), even "
            + "one a crash left half done; --list shows the journal. Example: sudo vfiokit undo --last")
    public CommandOutput undo(@Option(longName = "last", description = "the newest change not undone yet (the default)") boolean last,
                              @Option(longName = "id", description = "a journal id (vfiokit undo --list)") String id,
                              @Option(longName = "list", description = "list the journal") boolean list,
                              @Option(longName = "json", description = "print as JSON") boolean json,
                              @Option(longName = "host", description = "local (default)") String host,
                              @Option(longName = "root", description = "a sysfs tree rooted at PATH") String root) {
        HostSelection.Selected h = writable(host, root, list);
        PlanRunner runner = new HostChanges(h.target()).runner();
        if (list) {
            List<Journal.Entry> entries = runner.journal().entries();
            // the definitions tune --apply replaced are undone by tune undo; they are listed here too
            List<DefinitionHistory.Kept> kept = new DefinitionHistory(StateDirs.state()).list();
            if (json) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("journal", entries.stream().map(e -> Map.of("id", e.id(), "time", e.time(),
                        "status", e.status().word(), "summary", e.operation().summary(), "stepsDone", e.stepsDone())).toList());
                m.put("definitions", kept.stream().map(k -> Map.of("host", k.host(), "domain", k.domain(), "kept", k.time(),
                        "file", k.file().toString(), "undo", tuneUndo(k))).toList());
                return CommandOutput.ok(Json.write(m));
            }
            TextTable t = new TextTable("ID", "STATUS", "STEPS", "WHAT");
            entries.forEach(e -> t.row(e.id(), e.status().word(), e.stepsDone() + "/" + e.operation().steps().size(), e.operation().summary()));
            StringBuilder sb = new StringBuilder(t.render() + entries.size() + " journal entries in " + runner.journal().dir() + "\n");
            if (!kept.isEmpty()) {
                TextTable d = new TextTable("HOST", "DOMAIN", "KEPT", "UNDO");
                kept.forEach(k -> d.row(k.host(), k.domain(), k.time(), tuneUndo(k)));
                sb.append('\n').append(d.render()).append(kept.size()).append(" definitions kept by tune --apply\n");
            }
            return CommandOutput.ok(sb.toString());
        }
        Journal.Entry e = runner.undo(id);
        StringBuilder sb = new StringBuilder("undid " + e.id() + ": " + e.operation().summary() + "\n");
        runner.log().forEach(l -> sb.append(l).append('\n'));
        return CommandOutput.ok(sb.toString());
    }

    /** The command that puts a kept definition back (the demo's key is its name, any other host's its URI). */
    private static String tuneUndo(DefinitionHistory.Kept k) {
        return ScriptWords.command("vfiokit", "tune", "undo", "--domain", k.domain())
                + (k.host().equals("demo") ? " --host demo" : " " + ScriptWords.command("--connect", k.host()));
    }

    @Command(name = "persist list", group = "Host changes", description = "List boot-time vfio bindings: driverctl overrides "
            + "and modprobe.d ids. Example: vfiokit persist list --json")
    public CommandOutput persistList(@Option(longName = "json", description = "print as JSON") boolean json,
                                     @Option(longName = "host", description = "local (default) or demo") String host,
                                     @Option(longName = "root", description = "a sysfs tree rooted at PATH") String root) {
        HostSelection.Selected h = hosts.select(host, root);
        var eb = h.snapshot().earlyBinding();
        if (json) {
            Map<String, Object> m = new LinkedHashMap<>();
            Map<String, String> byAddress = new java.util.TreeMap<>();
            eb.driverctlOverrides().forEach((a, d) -> byAddress.put(a.toString(), d));
            m.put("byAddress", byAddress);
            m.put("ids", eb.vfioIds().stream().sorted().toList());
            m.put("softdeps", eb.softdepsBeforeVfio().stream().sorted().toList());
            m.put("sources", eb.sources());
            return CommandOutput.ok(Json.write(m));
        }
        StringBuilder sb = new StringBuilder();
        eb.driverctlOverrides().entrySet().stream().sorted(Map.Entry.comparingByKey())
                .forEach(e -> sb.append("by address  ").append(e.getKey()).append(" -> ").append(e.getValue()).append('\n'));
        eb.vfioIds().stream().sorted().forEach(i -> sb.append("by id       ").append(i).append(" -> vfio-pci\n"));
        eb.softdepsBeforeVfio().stream().sorted().forEach(s -> sb.append("softdep     vfio-pci loads before ").append(s).append('\n'));
        return CommandOutput.ok(sb.length() == 0 ? "no boot-time vfio bindings\n" : sb.toString());
    }

    @Command(name = "persist remove", group = "Host changes", description = "Remove a device's boot-time binding "
            + "(its driverctl override). Example: sudo vfiokit persist remove --device 0000:41:00.0")
    public CommandOutput persistRemove(
            @CompletedWith("pciAddresses") @Option(longName = "device", required = true, description = "PCI address(es)") String[] device,
            @Option(longName = "dry-run", description = "print the plan, change nothing") boolean dryRun,
            @Option(longName = "host", description = "local (default)") String host,
            @Option(longName = "root", description = "a sysfs tree rooted at PATH") String root) {
        HostSelection.Selected h = writable(host, root, dryRun);
        return run(new BindPlanner(h.snapshot(), h.target()).unpersist(Arguments.addresses(device)), h, dryRun, false, List.of());
    }

    @Command(name = "vf list", group = "SR-IOV", description = "List SR-IOV PFs and their VFs (driver, group, netdev). "
            + "Example: vfiokit vf list --host demo")
    public CommandOutput vfList(@CompletedWith("pfNetdevs") @Option(longName = "pf", description = "one PF, by address or netdev") String pf,
                                @Option(longName = "json", description = "print as JSON") boolean json,
                                @Option(longName = "host", description = "local (default) or demo") String host,
                                @Option(longName = "root", description = "a sysfs tree rooted at PATH") String root) {
        HostSelection.Selected h = hosts.select(host, root);
        SriovPlanner planner = new SriovPlanner(h.snapshot());
        List<PciDevice> pfs = pf != null ? List.of(planner.pf(pf))
                : h.snapshot().devices().stream().filter(PciDevice::isSriovPhysicalFunction).toList();
        if (json) {
            return CommandOutput.ok(Json.write(Map.of("pfs", pfs.stream().map(p -> {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("address", p.address().toString());
                m.put("driver", p.driver());
                m.put("netdevs", p.netdevs());
                m.put("totalVfs", p.sriov().totalVfs());
                m.put("numVfs", p.sriov().numVfs());
                m.put("vfs", p.sriov().virtfns().stream().map(a -> h.snapshot().device(a).map(v -> {
                    Map<String, Object> vm = new LinkedHashMap<>();
                    vm.put("address", v.address().toString());
                    vm.put("driver", v.driver());
                    vm.put("iommuGroup", v.iommuGroup());
                    vm.put("netdevs", v.netdevs());
                    return vm;
                }).orElse(Map.of("address", a.toString()))).toList());
                return m;
            }).toList())));
        }
        TextTable t = new TextTable("PF", "VF", "ADDRESS", "DRIVER", "GROUP", "NETDEV");
        for (PciDevice p : pfs) {
            t.row(p.address().toString(), "-", p.sriov().numVfs() + "/" + p.sriov().totalVfs() + " VFs", p.driver() == null ? "-" : p.driver(),
                    String.valueOf(p.iommuGroup()), String.join(",", p.netdevs()));
            List<PciAddress> vfs = p.sriov().virtfns();
            for (int i = 0; i < vfs.size(); i++) {
                PciDevice v = h.snapshot().device(vfs.get(i)).orElse(null);
                t.row("", String.valueOf(i), vfs.get(i).toString(), v == null || v.driver() == null ? "-" : v.driver(),
                        v == null ? "-" : String.valueOf(v.iommuGroup()), v == null ? "" : String.join(",", v.netdevs()));
            }
        }
        return CommandOutput.ok(pfs.isEmpty() ? "no SR-IOV physical functions on host " + h.snapshot().source() + "\n" : t.render());
    }

    @Command(name = "vf create", group = "SR-IOV", description = "Enable N VFs on a PF (0 first when others exist; "
            + "journaled). Example: sudo vfiokit vf create --pf ens1f0np0 --count 8")
    public CommandOutput vfCreate(@CompletedWith("pfNetdevs") @Option(longName = "pf", required = true, description = "PF address or netdev") String pf,
                                  @Option(longName = "count", required = true, description = "number of VFs") int count,
                                  @Option(longName = "autoprobe", description = "let host drivers take the new VFs (default: they stay unbound for vfio)") boolean autoprobe,
                                  @Option(longName = "force", description = "replace VFs even when some are on vfio-pci") boolean force,
                                  @Option(longName = "dry-run", description = "print the plan, change nothing") boolean dryRun,
                                  @Option(longName = "json", description = "print as JSON") boolean json,
                                  @Option(longName = "host", description = "local (default) or demo (dry run only)") String host,
                                  @Option(longName = "root", description = "a sysfs tree rooted at PATH") String root) {
        HostSelection.Selected h = writable(host, root, dryRun);
        return run(new SriovPlanner(h.snapshot()).create(pf, count, autoprobe, force), h, dryRun, json, List.of());
    }

    @Command(name = "vf remove", group = "SR-IOV", description = "Disable all VFs of a PF (journaled). Example: sudo vfiokit vf remove --pf ens1f0np0")
    public CommandOutput vfRemove(@CompletedWith("pfNetdevs") @Option(longName = "pf", required = true, description = "PF address or netdev") String pf,
                                  @Option(longName = "force", description = "even when VFs are on vfio-pci") boolean force,
                                  @Option(longName = "dry-run", description = "print the plan, change nothing") boolean dryRun,
                                  @Option(longName = "json", description = "print as JSON") boolean json,
                                  @Option(longName = "host", description = "local (default) or demo (dry run only)") String host,
                                  @Option(longName = "root", description = "a sysfs tree rooted at PATH") String root) {
        HostSelection.Selected h = writable(host, root, dryRun);
        return run(new SriovPlanner(h.snapshot()).remove(pf, force), h, dryRun, json, List.of());
    }

    @Command(name = "vf set", group = "SR-IOV", description = "Set a VF's MAC, VLAN, trust and spoof checking (ip link). "
            + "Example: sudo vfiokit vf set --pf ens1f0np0 --vf 2 --mac 52:54:00:12:34:56 --vlan 100 --trust off")
    public CommandOutput vfSet(@CompletedWith("pfNetdevs") @Option(longName = "pf", required = true, description = "PF address or netdev") String pf,
                               @Option(longName = "vf", required = true, description = "VF index") int vf,
                               @Option(longName = "mac", description = "MAC address") String mac,
                               @Option(longName = "vlan", description = "VLAN id 0-4095 (0: untagged)") Integer vlan,
                               @Option(longName = "trust", description = "on|off") String trust,
                               @Option(longName = "spoofchk", description = "on|off") String spoofchk,
                               @Option(longName = "dry-run", description = "print the command, change nothing") boolean dryRun,
                               @Option(longName = "json", description = "print as JSON") boolean json,
                               @Option(longName = "host", description = "local (default) or demo (dry run only)") String host,
                               @Option(longName = "root", description = "a sysfs tree rooted at PATH") String root) {
        HostSelection.Selected h = writable(host, root, dryRun);
        List<String> cmd = new SriovPlanner(h.snapshot()).ipLinkSet(pf, vf, mac, vlan, trust, spoofchk);
        if (!dryRun) {
            SriovPlanner.run(h.target().commands(), cmd);
        }
        if (json) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("summary", "set VF " + vf + " of " + pf);
            m.put("dryRun", dryRun);
            m.put("command", cmd);
            return CommandOutput.ok(Json.write(m));
        }
        return CommandOutput.ok((dryRun ? "plan (dry run, nothing changed): " : "done: ") + String.join(" ", cmd));
    }
}
