package dev.vfiokit.shell;

import dev.vfiokit.iommucheck.host.PciAddress;
import dev.vfiokit.iommucheck.host.PciDevice;
import dev.vfiokit.iommucheck.host.VendorVgpu;
import dev.vfiokit.libvirt.AssignedDevices;
import dev.vfiokit.shell.cli.CompletedWith;
import dev.vfiokit.vfio.VgpuPlanner;
import org.springframework.shell.core.command.annotation.Command;
import org.springframework.shell.core.command.annotation.Option;
import org.springframework.stereotype.Component;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * vgpu types|list|create|remove: NVIDIA's vendor-specific VFIO vGPU (vGPU 17+ on kernel 6.8+, no mdev bus), where a
 * VF on the nvidia driver becomes a vGPU by its type id. Journaled and undoable like binds; mdev hosts use mdev.
 */
@Component
public class VgpuCommands {
    private final HostSelection hosts;
    private final LibvirtTargets targets;
    private final ChangeOutput changes;

    public VgpuCommands(HostSelection hosts, LibvirtTargets targets) {
        this.hosts = hosts;
        this.targets = targets;
        this.changes = new ChangeOutput(hosts);
    }

    /** The VFs defined domains hold, when libvirt can say (a note otherwise). */
    private Map<PciAddress, String> held(String host, String root, List<String> notes) {
        return targets.readIfReachable(host, root, notes, AssignedDevices::read, Map.of());
    }

    /** A type a GPU's free VFs offer, and how many of them. */
    private record Offer(VendorVgpu.VgpuType type, int freeVfs) {
    }

    @Command(name = "vgpu types", group = "Vendor vGPU", description = "List the vGPU types each GPU's free VFs can take "
            + "now (the list narrows as VFs are used). Example: vfiokit vgpu types --host demo")
    public CommandOutput types(@Option(longName = "json", description = "print as JSON") boolean json,
                               @Option(longName = "host", description = "local (default) or demo") String host,
                               @Option(longName = "root", description = "a sysfs tree rooted at PATH") String root) {
        HostSelection.Selected h = hosts.select(host, root);
        List<PciDevice> vfs = new VgpuPlanner(h.snapshot()).all();
        // per GPU, per type id: the type and how many of its free VFs offer it
        Map<String, Map<Integer, Offer>> byGpu = new TreeMap<>();
        for (PciDevice vf : vfs) {
            Map<Integer, Offer> types = byGpu.computeIfAbsent(String.valueOf(vf.physfn()), k -> new TreeMap<>());
            if (vf.vendorVgpu().free()) {
                vf.vendorVgpu().creatable().forEach(t -> types.merge(t.id(), new Offer(t, 1), (a, b) -> new Offer(a.type(), a.freeVfs() + 1)));
            }
        }
        if (json) {
            List<Map<String, Object>> gpus = new ArrayList<>();
            byGpu.forEach((gpu, types) -> {
                Map<String, Object> g = new LinkedHashMap<>();
                g.put("gpu", gpu);
                g.put("types", types.values().stream().map(o -> Map.of("id", o.type().id(), "name", o.type().name(), "freeVfs", o.freeVfs())).toList());
                gpus.add(g);
            });
            return CommandOutput.ok(Json.write(Map.of("gpus", gpus)));
        }
        TextTable t = new TextTable("GPU", "TYPE", "NAME", "FREE VFS");
        byGpu.forEach((gpu, types) -> types.values().forEach(o -> t.row(gpu, String.valueOf(o.type().id()), o.type().name(), String.valueOf(o.freeVfs()))));
        return CommandOutput.ok(vfs.isEmpty() ? "no vendor-specific VFIO vGPU on host " + h.snapshot().source()
                + " (mdev hosts: vfiokit mdev types)\n" : t.render());
    }

    @Command(name = "vgpu list", group = "Vendor vGPU", description = "List the vendor vGPU VFs: their GPU, the type each is, "
            + "and the domain holding it. Example: vfiokit vgpu list --host demo --json")
    public CommandOutput list(@Option(longName = "json", description = "print as JSON") boolean json,
                              @Option(longName = "host", description = "local (default) or demo") String host,
                              @Option(longName = "root", description = "a sysfs tree rooted at PATH") String root) {
        HostSelection.Selected h = hosts.select(host, root);
        List<String> notes = new ArrayList<>();
        Map<PciAddress, String> held = held(host, root, notes);
        VgpuPlanner planner = new VgpuPlanner(h.snapshot());
        List<PciDevice> vfs = planner.all();
        if (json) {
            return CommandOutput.ok(Json.write(Map.of("vfs", vfs.stream().map(v -> {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("vf", v.address().toString());
                m.put("gpu", String.valueOf(v.physfn()));
                m.put("type", v.vendorVgpu().currentType());
                m.put("typeName", v.vendorVgpu().free() ? null : planner.typeName(v.vendorVgpu().currentType()));
                m.put("domain", held.get(v.address()));
                return m;
            }).toList(), "notes", notes)));
        }
        TextTable t = new TextTable("VF", "GPU", "TYPE", "NAME", "DOMAIN");
        vfs.forEach(v -> t.row(v.address().toString(), String.valueOf(v.physfn()), v.vendorVgpu().free() ? "-" : String.valueOf(v.vendorVgpu().currentType()),
                v.vendorVgpu().free() ? "free" : planner.typeName(v.vendorVgpu().currentType()), held.getOrDefault(v.address(), "-")));
        StringBuilder sb = new StringBuilder(vfs.isEmpty() ? "no vendor-specific VFIO vGPU VFs\n" : t.render());
        notes.forEach(n -> sb.append("note: ").append(n).append('\n'));
        return CommandOutput.ok(sb.toString());
    }

    @Command(name = "vgpu create", group = "Vendor vGPU", description = "Make a free VF a vGPU of a type it can take now "
            + "(--gpu: the first such VF of that GPU; journaled, undoable). Example: sudo vfiokit vgpu create --gpu 0000:41:00.0 --type 1177")
    public CommandOutput create(@CompletedWith("pciAddresses") @Option(longName = "gpu", description = "the GPU (PF); or --vf") String gpu,
                                @CompletedWith("pciAddresses") @Option(longName = "vf", description = "one VF") String vf,
                                @Option(longName = "type", required = true, description = "type id (1177) or name (NVIDIA L40S-12Q)") String type,
                                @Option(longName = "dry-run", description = "print the plan, change nothing") boolean dryRun,
                                @Option(longName = "json", description = "print as JSON") boolean json,
                                @Option(longName = "host", description = "local (default) or demo (dry run only)") String host,
                                @Option(longName = "root", description = "a sysfs tree rooted at PATH") String root) {
        if ((gpu == null) == (vf == null)) {
            throw new dev.vfiokit.shell.cli.UsageError("give --gpu ADDR or --vf ADDR (one of them)");
        }
        PciAddress where = PciAddress.parse(gpu != null ? gpu : vf);
        HostSelection.Selected h = changes.writable(host, root, dryRun);
        List<String> notes = new ArrayList<>();
        return ChangeOutput.run(new VgpuPlanner(h.snapshot()).create(where, type, held(host, root, notes)), h, dryRun, json, notes);
    }

    @Command(name = "vgpu remove", group = "Vendor vGPU", description = "Release a VF's vGPU (refused while a domain holds "
            + "it; journaled, undo makes it that type again). Example: sudo vfiokit vgpu remove --vf 0000:41:00.5")
    public CommandOutput remove(@CompletedWith("pciAddresses") @Option(longName = "vf", required = true, description = "the VF") String vf,
                                @Option(longName = "dry-run", description = "print the plan, change nothing") boolean dryRun,
                                @Option(longName = "json", description = "print as JSON") boolean json,
                                @Option(longName = "host", description = "local (default) or demo (dry run only)") String host,
                                @Option(longName = "root", description = "a sysfs tree rooted at PATH") String root) {
        HostSelection.Selected h = changes.writable(host, root, dryRun);
        List<String> notes = new ArrayList<>();
        return ChangeOutput.run(new VgpuPlanner(h.snapshot()).remove(PciAddress.parse(vf), held(host, root, notes)), h, dryRun, json, notes);
    }
}
