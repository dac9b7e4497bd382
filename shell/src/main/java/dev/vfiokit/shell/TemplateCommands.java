package dev.vfiokit.shell;

import dev.vfiokit.libvirt.LibvirtConnection;
import dev.vfiokit.templates.DomainRequest;
import dev.vfiokit.templates.GeneratedDomain;
import dev.vfiokit.templates.Template;
import dev.vfiokit.templates.TemplateCatalogue;
import dev.vfiokit.templates.TemplateParameter;
import dev.vfiokit.templates.VfPoolNetwork;
import dev.vfiokit.templates.VfRequest;
import org.springframework.shell.core.command.annotation.Command;
import org.springframework.shell.core.command.annotation.Option;
import org.springframework.stereotype.Component;
import dev.vfiokit.shell.cli.CompletedWith;
import dev.vfiokit.shell.usecase.GenerateDomain;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code template list|show}, {@code domain generate}, {@code network vf-pool}: domain XML from templates. */
@Component
public class TemplateCommands {
    private final HostSelection hosts;
    private final LibvirtTargets targets;

    public TemplateCommands(HostSelection hosts, LibvirtTargets targets) {
        this.hosts = hosts;
        this.targets = targets;
    }

    private static TemplateCatalogue catalogue(String dir) {
        Path user = dir != null ? Path.of(dir) : StateDirs.config().resolve("templates");
        return TemplateCatalogue.withUserDirectory(user);
    }

    @Command(name = "template list", group = "Domains", description = "List domain templates (built in, and *.xml in "
            + "~/.config/vfiokit/templates or --templates DIR). Example: vfiokit template list")
    public CommandOutput list(@Option(longName = "json", description = "print as JSON") boolean json,
                              @Option(longName = "templates", description = "a directory of extra templates") String dir) {
        List<Template> all = catalogue(dir).all();
        if (json) {
            return CommandOutput.ok(Json.write(Map.of("templates", all.stream().map(TemplateCommands::templateJson).toList())));
        }
        TextTable t = new TextTable("TEMPLATE", "SUMMARY");
        all.forEach(x -> t.row(x.name(), x.summary()));
        return CommandOutput.ok(t.render());
    }

    @Command(name = "template show", group = "Domains", description = "Describe a template: parameters, defaults and "
            + "the domain skeleton. Example: vfiokit template show gpu-workstation")
    public CommandOutput show(@CompletedWith("templateNames") @Option(longName = "name", required = true, description = "template name") String name,
                              @Option(longName = "json", description = "print as JSON") boolean json,
                              @Option(longName = "templates", description = "a directory of extra templates") String dir) {
        Template t = catalogue(dir).get(name);
        if (json) {
            Map<String, Object> m = templateJson(t);
            m.put("skeleton", t.skeleton());
            return CommandOutput.ok(Json.write(m));
        }
        StringBuilder sb = new StringBuilder(t.name()).append(" (").append(t.origin()).append(")\n  ").append(t.summary()).append("\n\n");
        TextTable p = new TextTable("PARAMETER", "DEFAULT", "MEANING");
        t.parameters().forEach(x -> p.row(x.name(), x.defaultValue(), x.doc()));
        sb.append(p.render()).append("\nset with --param name=value[,name=value]; vcpus and memory also with --vcpus, --memory\n\n");
        return CommandOutput.ok(sb.append(t.skeleton().strip()).append('\n').toString());
    }

    private static Map<String, Object> templateJson(Template t) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", t.name());
        m.put("summary", t.summary());
        m.put("origin", t.origin());
        List<Map<String, String>> params = new ArrayList<>();
        for (TemplateParameter p : t.parameters()) {
            params.add(Map.of("name", p.name(), "default", p.defaultValue(), "doc", p.doc()));
        }
        m.put("parameters", params);
        return m;
    }

    @Command(name = "domain generate", group = "Domains", description = "Generate domain XML from a template for this "
            + "host's devices: GPUs with all their functions in one guest slot, SR-IOV VFs with stable MACs, mdevs. Example: "
            + "vfiokit domain generate --host demo --template gpu-compute --name trainer-01 --gpu 0000:41:00.0 --vf ens1f0np0,vlan=100")
    public CommandOutput generate(
            @CompletedWith("templateNames") @Option(longName = "template", required = true, description = "template name (vfiokit template list)") String template,
            @Option(longName = "name", required = true, description = "domain name") String name,
            @CompletedWith("pciAddresses") @Option(longName = "gpu", description = "PCI device(s) to pass, by address (comma or space separated); their other functions come along") String[] gpu,
            @Option(longName = "vf", description = "SR-IOV VF(s): VF_ADDR or PF_ADDR|PF_NETDEV[,vf=N][,mac=M][,vlan=V][,mode=interface|hostdev]; space separate several") String[] vf,
            @Option(longName = "mdev", description = "mediated device UUID(s)") String[] mdev,
            @Option(longName = "mdev-type", description = "an mdev of this type: a free existing one, else one created (in the same all-or-nothing plan)") String mdevType,
            @Option(longName = "parent", description = "with --mdev-type: the parent to use (default: any with a free instance)") String mdevParent,
            @Option(longName = "vgpu-type", description = "an NVIDIA vendor-specific VFIO vGPU of this type id or name (vGPU 17+): a free VF of that type, else one made so on the GPU with the most free VFs for it") String vgpuType,
            @Option(longName = "mdev-display", defaultValue = "on", description = "on: the mdev drives the display (ramfb), off: compute only") String mdevDisplay,
            @Option(longName = "vcpus", description = "number of vCPUs (default: the template's)") Integer vcpus,
            @Option(longName = "memory", description = "guest memory, e.g. 32GiB (default: the template's)") String memory,
            @Option(longName = "disk", description = "disk image path") String disk,
            @Option(longName = "rom-file", description = "VBIOS file for the passed GPU") String romFile,
            @Option(longName = "rom-bar", description = "off hides the GPU's option ROM") String romBar,
            @Option(longName = "param", description = "template parameters name=value") String[] param,
            @Option(longName = "type", description = "kvm or qemu (default: what the host offers)") String type,
            @Option(longName = "libvirt", description = "the target libvirt's version, e.g. 12.1.0 (default: the connected libvirt's; unknown without one): gates variant driver models and iommufd") String libvirt,
            @Option(shortName = 'o', longName = "output", description = "write the XML to this file") String output,
            @Option(longName = "define", description = "also define the domain through libvirt") boolean define,
            @Option(longName = "json", description = "print name, uuid, notes and XML as JSON") boolean json,
            @Option(longName = "templates", description = "a directory of extra templates") String dir,
            @Option(longName = "host", description = "local (default) or demo") String host,
            @Option(longName = "root", description = "read a sysfs/procfs tree rooted at PATH") String root,
            @Option(longName = "connect", description = "libvirt URI, for the domains already defined and --define") String connect) {
        if (romBar != null && !romBar.equals("on") && !romBar.equals("off")) {
            throw new IllegalArgumentException("--rom-bar must be on or off");
        }
        Template t = catalogue(dir).get(template);
        CommandOutputFile.check(output, CommandOutputFile.DOMAIN);
        HostSelection.Selected h = hosts.select(host, root, connect);
        DomainRequest draft = new DomainRequest(template, name, type, vcpus, memory, disk, Arguments.addresses(gpu),
                vfSpecs(vf).stream().map(VfRequest::parse).toList(), split(mdev, true), !"off".equals(mdevDisplay),
                romFile, "off".equals(romBar), parameters(param));
        if (libvirt != null) {
            draft = draft.forLibvirt(dev.vfiokit.iommucheck.host.LibvirtVersion.parse(libvirt));
        }
        GenerateDomain.Result r = new GenerateDomain(targets).run(t, draft, h, new GenerateDomain.Where(host, root, connect),
                mdevType, mdevParent, vgpuType, define, words -> ScriptWords.command(words.toArray(String[]::new)));
        GeneratedDomain g = r.domain();
        List<String> notes = new ArrayList<>(r.notes());
        String defined = r.defined() ? g.domain().uuid : null;
        if (output != null) {
            notes.add(CommandOutputFile.write(output, g.xml(), CommandOutputFile.DOMAIN));
        }
        if (json) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", g.domain().name);
            m.put("uuid", g.domain().uuid);
            m.put("type", g.domain().type);
            m.put("defined", defined != null);
            m.put("output", output);
            m.put("notes", notes);
            m.put("xml", g.xml());
            return CommandOutput.ok(Json.write(m));
        }
        if (output != null || define) {
            return CommandOutput.ok(String.join("\n", notes));
        }
        // notes travel inside the XML as comments, so stdout stays one valid document
        StringBuilder sb = new StringBuilder();
        notes.forEach(n -> sb.append("<!-- ").append(n.replace("--", "- -")).append(" -->\n"));
        return CommandOutput.ok(sb.append(g.xml()).toString());
    }

    @Command(name = "network vf-pool", group = "Domains", description = "Generate a libvirt network that hands out a PF's "
            + "VFs (forward mode hostdev). Example: vfiokit network vf-pool --host demo --name e810-pool --pf ens1f0np0")
    public CommandOutput vfPool(@Option(longName = "name", required = true, description = "network name") String name,
                                @Option(longName = "pf", required = true, description = "PF netdev name") String pf,
                                @Option(shortName = 'o', longName = "output", description = "write the XML to this file") String output,
                                @Option(longName = "define", description = "also define the network through libvirt") boolean define,
                                @Option(longName = "host", description = "local (default) or demo") String host,
                                @Option(longName = "root", description = "read a sysfs/procfs tree rooted at PATH") String root,
                                @Option(longName = "connect", description = "libvirt URI") String connect) {
        String xml = VfPoolNetwork.xml(hosts.select(host, root, connect).snapshot(), name, pf);
        java.util.function.Predicate<String> ours = before -> before.startsWith(CommandOutputFile.NETWORK_MARK);
        CommandOutputFile.check(output, ours);
        List<String> notes = new ArrayList<>();
        if (define) {
            try (LibvirtConnection c = targets.open(host, connect, false)) {
                notes.add("defined network " + c.defineNetwork(xml) + " on " + c.uri());
            }
        }
        if (output != null) {
            // the file carries a mark of its own (libvirt's net-define reads past the comment): a network XML has no metadata
            notes.add(CommandOutputFile.write(output, CommandOutputFile.NETWORK_MARK + "\n" + xml, ours));
        }
        return CommandOutput.ok(notes.isEmpty() ? xml : String.join("\n", notes));
    }

    /** Values of a repeatable option; with {@code commas}, each value may also hold several, comma-separated. */
    private static List<String> split(String[] values, boolean commas) {
        List<String> out = new ArrayList<>();
        if (values == null) {
            return out;
        }
        for (String v : values) {
            for (String part : commas ? v.split(",") : new String[] {v}) {
                if (!part.isBlank()) {
                    out.add(part.strip());
                }
            }
        }
        return out;
    }

    /**
     * VF specs as typed. Spring Shell splits array option values on commas, so "ens1f0np0,vlan=100" arrives as
     * two pieces; a device never contains '=', so each key=value piece belongs to the device before it.
     */
    static List<String> vfSpecs(String[] values) {
        List<String> specs = new ArrayList<>();
        for (String piece : split(values, true)) {
            if (piece.contains("=") && !specs.isEmpty()) {
                specs.set(specs.size() - 1, specs.get(specs.size() - 1) + "," + piece);
            } else {
                specs.add(piece);
            }
        }
        return specs;
    }

    private static Map<String, String> parameters(String[] values) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String kv : split(values, true)) {
            int eq = kv.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("--param takes name=value, got '" + kv + "'");
            }
            m.put(kv.substring(0, eq), kv.substring(eq + 1));
        }
        return m;
    }

}
