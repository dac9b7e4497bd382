package dev.vfiokit.shell.usecase;

import dev.vfiokit.iommucheck.host.MdevParent;
import dev.vfiokit.iommucheck.host.PciAddress;
import dev.vfiokit.libvirt.AssignedDevices;
import dev.vfiokit.libvirt.LibvirtConnection;
import dev.vfiokit.libvirt.LibvirtFailure;
import dev.vfiokit.shell.HostSelection;
import dev.vfiokit.shell.LibvirtTargets;
import dev.vfiokit.templates.DomainGenerator;
import dev.vfiokit.templates.DomainOwner;
import dev.vfiokit.templates.DomainRequest;
import dev.vfiokit.templates.GeneratedDomain;
import dev.vfiokit.templates.RequestRefused;
import dev.vfiokit.templates.Template;
import dev.vfiokit.vfio.HostTarget;
import dev.vfiokit.vfio.MdevPlanner;
import dev.vfiokit.vfio.Operation;
import dev.vfiokit.vfio.VgpuPlanner;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * {@code domain generate} as one use case, all or nothing: the domain type (what libvirt offers, else /dev/kvm), the
 * devices other domains hold (when libvirt can be reached), an mdev of a type (a free one, else one created), the
 * domain generated and, if asked, defined (never over a domain generate did not make). When anything after the
 * mdev's creation fails, the mdev goes again.
 */
public final class GenerateDomain {
    private final LibvirtTargets libvirt;

    public GenerateDomain(LibvirtTargets libvirt) {
        this.libvirt = libvirt;
    }

    /**
     * @param draft    the request as the user gave it; {@code domainType} null means "what the host offers"
     * @param where    {@code --host}, {@code --root} and {@code --connect} as given (libvirt is read unless only a tree was named)
     * @param mdevType an mdev of this type to give the domain, or null
     * @param vgpuType an NVIDIA vendor-specific VFIO vGPU of this type (id or name), or null: a free VF that is that type
     *                 already, else one made so on the GPU with the most free VFs that take it
     * @param hint     how a command reads for this host ({@code vfiokit mdev create ...}), for the refusal that names one
     */
    public Result run(Template template, DomainRequest draft, HostSelection.Selected host, Where where, String mdevType,
                      String mdevParent, String vgpuType, boolean define, Function<List<String>, String> hint) {
        List<String> notes = new ArrayList<>();
        Map<PciAddress, String> assigned = Map.of();
        Map<String, String> mdevUsers = null;
        Map<String, String> networks = null;
        String domainType = draft.domainType();
        String notChecked = null;
        dev.vfiokit.iommucheck.host.LibvirtVersion libvirtVersion = draft.targetLibvirt();
        if (where.root() == null || where.connect() != null) {
            try (LibvirtConnection c = libvirt.open(where.host(), where.connect(), true)) {
                // every definition dumped once: the devices and the mdevs other domains hold
                var defined = AssignedDevices.definitions(c);
                assigned = AssignedDevices.read(defined);
                mdevUsers = AssignedDevices.mdevs(defined);
                networks = c.networkStates();
                if (draft.targetLibvirt() == null) {
                    libvirtVersion = c.libvirtVersion();
                }
                if (domainType == null) {
                    domainType = libvirt.isDemo(where.host()) ? "kvm" : c.bestDomainType(host.snapshot().cpu().arch());
                }
            } catch (LibvirtFailure e) {
                notChecked = e.getMessage();
            }
        }
        if (domainType == null) {
            domainType = host.snapshot().kvmDevice() ? "kvm" : "qemu";
        }
        List<String> mdevs = new ArrayList<>(draft.mdevUuids());
        Chosen created = null;
        if (mdevType != null) {
            created = chooseMdev(host, mdevUsers, notChecked, mdevType, mdevParent, notes, hint);
            mdevs.add(created.id());
        }
        List<PciAddress> vgpus = new ArrayList<>(draft.vendorVgpus());
        Chosen vgpu = null;
        if (vgpuType != null) {
            try {
                vgpu = chooseVgpu(host, assigned, vgpuType, notes, hint);
            } catch (RuntimeException e) {
                if (created != null && created.journalId() != null) {
                    new HostChanges(host.target()).undo(created.journalId());
                }
                throw e;
            }
            vgpus.add(PciAddress.parse(vgpu.id()));
        }
        DomainRequest req = new DomainRequest(draft.template(), draft.name(), domainType, draft.vcpus(), draft.memory(),
                draft.disk(), draft.pciDevices(), draft.vfs(), mdevs, draft.mdevDisplay(), draft.romFile(), draft.romBarOff(),
                draft.parameters(), vgpus, libvirtVersion);
        GeneratedDomain g;
        String definedOn = null;
        String caveat = null;
        try {
            // a hint in a refusal names this host as the user did
            // a host vfiokit cannot change (the demo) takes the command as a dry run, as the mdev create hint does
            List<String> words = new ArrayList<>(host.target().options());
            if (!host.target().changeable()) {
                words.add("--dry-run");
            }
            String options = host.target().kind() == HostTarget.Kind.LIBVIRT ? null
                    : words.isEmpty() ? "" : " " + hint.apply(words);
            // the vGPU just made: the generator reads the VF as the host has it now
            var snapshot = vgpu != null && vgpu.journalId() != null ? host.snapshot().withVendorVgpu(PciAddress.parse(vgpu.id()), vgpu.type())
                    : host.snapshot();
            g = new DomainGenerator(snapshot, assigned, options).generate(template, req);
            if (define) {
                try (LibvirtConnection c = libvirt.open(where.host(), where.connect(), false)) {
                    refuseForeign(c, draft.name());
                    c.define(g.xml());
                    libvirt.persistIfDemo(where.host(), where.connect(), c);
                    definedOn = libvirt.uri(where.host(), where.connect());
                    caveat = c.defineCaveat();
                }
            }
        } catch (RuntimeException e) {
            if (created != null && created.journalId() != null) {
                // all or nothing: the mdev made for this domain goes again
                new HostChanges(host.target()).undo(created.journalId());
            }
            if (vgpu != null && vgpu.journalId() != null) {
                new HostChanges(host.target()).undo(vgpu.journalId());
            }
            throw e;
        }
        notes.addAll(0, g.notes());
        if (networks != null) {
            networkNotes(g, networks, where.connect() == null ? "virsh" : "virsh -c " + dev.vfiokit.shell.ScriptWords.quote(where.connect()), notes);
        }
        if (notChecked != null) {
            notes.add("not checked against other domains: " + notChecked);
        }
        if (definedOn != null) {
            notes.add("defined " + g.domain().name + " on " + definedOn);
            if (caveat != null) {
                notes.add(caveat);
            }
        }
        return new Result(g, notes, definedOn != null);
    }

    /** A NIC on a network that host does not run starts nowhere: say so now, not at the first start. */
    private static void networkNotes(GeneratedDomain g, Map<String, String> networks, String virsh, List<String> notes) {
        g.domain().devices.interfaces.stream().filter(i -> "network".equals(i.type) && i.source != null && i.source.network != null)
                .map(i -> i.source.network).distinct().forEach(n -> {
                    String state = networks.getOrDefault(n, "missing");
                    if (!state.equals("active")) {
                        notes.add("network " + n + " is " + (state.equals("missing") ? "not defined" : "not running") + " on this host: the guest "
                                + "will not start until it is (" + virsh + " net-start " + n + "; " + virsh + " net-autostart " + n + "), or generate with --param network=NAME or network=none");
                    }
                });
    }

    /** The host options as the user gave them. */
    public record Where(String host, String root, String connect) {
    }

    /** The generated domain, what was done and noticed on the way, and whether it was defined. */
    public record Result(GeneratedDomain domain, List<String> notes, boolean defined) {
        public Result {
            notes = List.copyOf(notes);
        }
    }

    /**
     * The mdev a domain gets for --mdev-type (its UUID), or the VF for --vgpu-type (its address, and the type id it
     * was made), and the journal id when vfiokit created it.
     */
    record Chosen(String id, String journalId, int type) {
        Chosen(String id, String journalId) {
            this(id, journalId, 0);
        }
    }

    /** A VF that is a vGPU of the type and no domain holds; else one made so, on the GPU with the most free VFs taking it. */
    private Chosen chooseVgpu(HostSelection.Selected h, Map<PciAddress, String> held, String type, List<String> notes,
                                  Function<List<String>, String> hint) {
        VgpuPlanner planner = new VgpuPlanner(h.snapshot());
        List<dev.vfiokit.iommucheck.host.PciDevice> vfs = planner.all();
        for (var vf : vfs) {
            int current = vf.vendorVgpu().currentType();
            if (planner.isOfType(vf, type) && !held.containsKey(vf.address())) {
                notes.add("using " + vf.address() + ", a vGPU of type " + current + " no domain holds");
                return new Chosen(vf.address().toString(), null, current);
            }
        }
        Map<PciAddress, Long> freeByGpu = new java.util.TreeMap<>();
        for (var vf : vfs) {
            if (vf.vendorVgpu().free() && !held.containsKey(vf.address()) && vf.vendorVgpu().creatable(type).isPresent()) {
                freeByGpu.merge(vf.physfn(), 1L, Long::sum);
            }
        }
        if (freeByGpu.isEmpty()) {
            throw new RequestRefused("no GPU on host " + h.snapshot().source() + " has a free VF that can take vGPU type '" + type
                    + "' now (see: vfiokit vgpu types)");
        }
        PciAddress gpu = freeByGpu.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey();
        Operation op = planner.create(gpu, type, held);
        var made = op.vgpus().get(0);
        if (!h.target().changeable()) {
            List<String> words = new ArrayList<>(List.of("vfiokit", "vgpu", "create", "--gpu", gpu.toString(), "--type", type, "--dry-run"));
            if (h.target().kind() != HostTarget.Kind.LIBVIRT) {
                words.addAll(h.target().options());
            }
            throw new RequestRefused("no VF is a vGPU of type " + type + " on " + h.snapshot().source()
                    + ", and vfiokit makes vGPUs only on a real host (" + hint.apply(words) + " shows how)");
        }
        String id = new HostChanges(h.target()).apply(op).journalId();
        notes.add("made " + made.vf() + " a vGPU of type " + made.after() + " (the GPU " + gpu + " had the most free VFs for it), journal " + id);
        return new Chosen(made.vf(), id, made.after());
    }

    /** A domain of that name that domain generate did not make is the admin's (or provisioning's): never redefined. */
    static void refuseForeign(LibvirtConnection c, String name) {
        if (c.domains().stream().noneMatch(d -> d.name().equals(name))) {
            return;
        }
        Optional<DomainOwner> owner = DomainOwner.in(c.dumpXml(name, true));
        if (owner.isEmpty() || !owner.get().by().equals(DomainOwner.BY_GENERATE)) {
            throw new RequestRefused("domain '" + name + "' already exists on " + c.uri() + " and was not made by "
                    + "vfiokit domain generate" + owner.map(o -> " (" + o.by() + " made it)").orElse("")
                    + ": refusing to redefine it (choose another --name, or undefine that domain yourself)");
        }
    }

    /** {@code users}: the mdevs defined domains use, null when libvirt was not read ({@code unread} says why, if it failed). */
    private Chosen chooseMdev(HostSelection.Selected h, Map<String, String> users, String unread, String type, String parent,
                                  List<String> notes, Function<List<String>, String> hint) {
        if (users == null) {
            users = Map.of();
            if (unread != null) {
                notes.add("mdevs not checked against domains: " + unread);
            }
        }
        MdevAllocation.Choice choice = new MdevAllocation(h.snapshot(), users.keySet()).allocate(type, parent);
        if (choice instanceof MdevAllocation.Existing e) {
            var m = e.mdev();
            notes.add("using the free existing mdev " + m.uuid() + " (" + m.type() + " on " + m.parent() + ")");
            return new Chosen(m.uuid(), null);
        }
        MdevParent p = ((MdevAllocation.ToCreate) choice).parent();
        if (!h.target().changeable()) {
            // mdev create reads a host itself (no --connect): for a host seen through libvirt, the hint is for that host
            boolean remote = h.target().kind() == HostTarget.Kind.LIBVIRT;
            List<String> words = new ArrayList<>(List.of("vfiokit", "mdev", "create", "--parent", p.name(), "--type", type, "--dry-run"));
            if (!remote) {
                words.addAll(h.target().options());
            }
            String create = hint.apply(words);
            throw new RequestRefused("no free mdev of type " + type + " exists on " + h.snapshot().source()
                    + ", and vfiokit creates mdevs only on a real host (" + (remote ? "on that host, " + create : create) + " shows how)");
        }
        Operation op = new MdevPlanner(h.snapshot()).create(p.name(), type, null, 1, false);
        String id = new HostChanges(h.target()).apply(op).journalId();
        String uuid = op.mdevs().get(0).uuid();
        notes.add("created mdev " + uuid + " (" + type + " on " + p.name() + "), journal " + id);
        return new Chosen(uuid, id);
    }
}
