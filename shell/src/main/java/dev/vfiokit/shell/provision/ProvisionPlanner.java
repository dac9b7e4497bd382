package dev.vfiokit.shell.provision;

import dev.vfiokit.iommucheck.host.MdevUuid;
import dev.vfiokit.iommucheck.host.PciAddress;
import dev.vfiokit.iommucheck.host.HostSnapshot;
import dev.vfiokit.iommucheck.host.PciDevice;
import dev.vfiokit.shell.usecase.MdevAllocation;
import dev.vfiokit.templates.DomainGenerator;
import dev.vfiokit.templates.DomainOwner;
import dev.vfiokit.templates.DomainRequest;
import dev.vfiokit.templates.MemorySize;
import dev.vfiokit.templates.TemplateCatalogue;
import dev.vfiokit.templates.VfRequest;
import dev.vfiokit.templates.xml.Domain;
import dev.vfiokit.templates.xml.DomainXml;
import dev.vfiokit.tuning.NumaLedger;
import dev.vfiokit.tuning.Profile;
import dev.vfiokit.tuning.RuleOutcome;
import dev.vfiokit.tuning.RuleCatalogue;
import dev.vfiokit.tuning.Tuner;
import dev.vfiokit.tuning.TuningInput;
import dev.vfiokit.tuning.TuningResult;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Places every VM of a manifest on its host and writes its domain XML, changing nothing: devices are free ones
 * only and never given twice, vCPUs are pinned on the NUMA node of the VM's devices, cores and hugepages are
 * never over-committed, mdev types never beyond their free instances. A placement that cannot be made is an
 * error naming the VM's line.
 */
public final class ProvisionPlanner {
    public static final String STAMP = "vfiokit provision sha256:";
    /** The rules that place a VM on the host's NUMA resources: what they cannot do refuses the VM. */
    private static final Set<String> PLACING = Set.of("vcpu-pinning", "hugepages");
    /**
     * How many VMs the tuner may be behind the drafts before the drafting thread reads drafts for it: fewer, and the
     * tuner would wait for reads it could have done itself.
     */
    private static final int READ_AHEAD_BACKLOG = 2;
    private final TemplateCatalogue templates;
    private final RuleCatalogue rules;
    private final String file;
    private final java.nio.file.Path memoDir;

    public ProvisionPlanner(TemplateCatalogue templates, RuleCatalogue rules, String file) {
        this(templates, rules, file, null);
    }

    /**
     * @param memoDir where the plan of each VM is kept for the next plan or apply of this manifest (see {@link PlanMemo});
     *                null: every VM is planned in full
     */
    public ProvisionPlanner(TemplateCatalogue templates, RuleCatalogue rules, String file, java.nio.file.Path memoDir) {
        this.templates = templates;
        this.rules = rules;
        this.file = file;
        this.memoDir = memoDir;
        // the memo is read while the hosts are (it needs only the manifest's path): a memoised plan of 1,000 VMs
        // waited ~60 ms for it
        this.memoAhead = memoDir == null ? null : CompletableFuture.supplyAsync(() -> PlanMemo.of(memoDir, file), r -> {
            Thread t = new Thread(r, "vfiokit-memo");
            t.setDaemon(true);
            t.start();
        });
    }

    private CompletableFuture<PlanMemo> memoAhead;

    /** The memo read ahead for the first plan, read again for any later one (the last plan may have rewritten it). */
    private synchronized PlanMemo memo() {
        if (memoDir == null) {
            return PlanMemo.none();
        }
        CompletableFuture<PlanMemo> ahead = memoAhead;
        memoAhead = null;
        if (ahead != null) {
            try {
                return ahead.join();
            } catch (java.util.concurrent.CompletionException e) {
                // read again here, so that the failure is this thread's as without the read ahead
            }
        }
        return PlanMemo.of(memoDir, file);
    }

    /**
     * Per-host placement state while planning: the devices given, the CPUs and hugepages held (the tuner's own
     * ledger, which each placed VM joins), the mdevs handed out.
     */
    private static final class Ledger {
        final Set<PciAddress> taken = new HashSet<>();
        /** Once the ledger is made, the tuner thread's alone (see plan). */
        NumaLedger numa;
        MdevAllocation mdevs;
        /** Vendor vGPU VFs given to a VM of this manifest already. */
        final Set<PciAddress> vgpusTaken = new HashSet<>();
        /** KiB of host RAM locked by the VFIO guests placed so far: other domains', then this manifest's (manifest order). */
        long locked;
        /**
         * Everything the VMs planned so far on this host read, hashed in order: the build, the manifest's name, the
         * host's facts and free resources, then each VM's entry, template, and rules. Each VM's plan is a function of
         * it (a VM's placement depends on the VMs before it), so it keys the memo. Null: the host's facts have no
         * canonical text, and nothing of this host is memoised.
         */
        MessageDigest chain;
    }

    public List<VmPlan> plan(Manifest m, Map<String, HostFacts> hosts) {
        return plan(m, hosts, Map.of());
    }

    /** @param notReached the hosts that did not answer, and why: their VMs are planned as NOT_REACHED */
    public List<VmPlan> plan(Manifest m, Map<String, HostFacts> hosts, Map<String, String> notReached) {
        Map<String, Ledger> ledgers = new HashMap<>();
        PlanMemo memo = memo();
        // two stages, each in manifest order: this thread gives each VM its devices and generates its domain; one tuner
        // thread tunes the VMs one after another (the NUMA ledger is its alone), so VM n is tuned while VM n+1 is
        // generated, and every VM sees what the VMs before it took, as if planned one by one
        ExecutorService tuner = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "vfiokit-tune");
            t.setDaemon(true);
            return t;
        });
        List<Future<VmPlan>> plans = new ArrayList<>();
        // the drafts' texts not yet read for tuning, in order, and how many VMs the tuner has done
        List<TuningInput> unread = new ArrayList<>();
        AtomicInteger tuned = new AtomicInteger();
        try {
            for (VmSpec vm : m.vms()) {
                if (notReached.containsKey(vm.host())) {
                    plans.add(CompletableFuture.completedFuture(VmPlan.notReached(vm, notReached.get(vm.host()))));
                    continue;
                }
                HostFacts h = hosts.get(vm.host());
                Ledger l = ledgers.computeIfAbsent(vm.host(), k -> ledger(h, m));
                Callable<VmPlan> rest;
                try {
                    rest = draft(vm, h, l, memo, unread);
                } catch (RuntimeException e) {
                    // a VM before this one that failed in the tuner is the manifest's first error
                    InOrder.results(plans);
                    throw inManifest(vm, e);
                }
                plans.add(tuner.submit(() -> {
                    try {
                        return rest.call();
                    } catch (RuntimeException e) {
                        throw inManifest(vm, e);
                    } finally {
                        tuned.incrementAndGet();
                    }
                }));
                if (plans.size() - tuned.get() > READ_AHEAD_BACKLOG && !unread.isEmpty()) {
                    // the tuner is behind: this thread reads the draft it just made, so the tuner only tunes it
                    unread.get(unread.size() - 1).read();
                }
            }
            // generation is done: this thread reads what the tuner has yet to reach, from the last back, until they meet
            for (int i = unread.size() - 1; i >= 0 && !unread.get(i).isRead(); i--) {
                unread.get(i).read();
            }
            List<VmPlan> out = InOrder.results(plans);
            memo.save();
            return out;
        } finally {
            tuner.shutdownNow();
        }
    }

    private ManifestReader.ManifestError inManifest(VmSpec vm, RuntimeException e) {
        return e instanceof ManifestReader.ManifestError me ? me
                : new ManifestReader.ManifestError(file + ":" + vm.line() + ": VM " + vm.name() + ": " + e.getMessage());
    }

    private int memoHits;

    /** How many VMs the last plans took from the memo rather than planning them again. */
    public int memoHits() {
        return memoHits;
    }

    /**
     * The digests of the canonical texts of the templates and rule sets read so far: the same ones for most VMs of a
     * manifest, so each is written out and hashed once, not once a VM. Keyed by the template's name and by the placing
     * profile (both catalogues are fixed for the planner's life): hashing the template and rule records themselves for
     * every VM's lookup cost more than the digest saved.
     */
    private final Map<String, byte[]> templateDigests = new HashMap<>();
    private final Map<Profile, byte[]> ruleDigests = new HashMap<>();

    private static byte[] digestOf(Object value) {
        return PlanMemo.sha256(CanonicalText.of(value));
    }

    /**
     * The memo key of this VM: the chain with its entry (its line left out: moving it in the file changes no plan),
     * template and rules added ({@code placing}: the VM's profile as it places it, null when not tuned). Null where
     * the host has no chain.
     */
    private String key(VmSpec vm, Ledger l, Profile placing) {
        if (l.chain == null) {
            return null;
        }
        VmSpec entry = new VmSpec(vm.name(), vm.host(), vm.template(), vm.profile(), vm.gpus(), vm.gpuModel(), vm.gpuCount(), vm.vfs(),
                vm.mdevType(), vm.vgpuType(), vm.vcpus(), vm.memory(), vm.disk(), vm.pin(), vm.hideKvm(), 0);
        l.chain.update(CanonicalText.of(entry).getBytes(StandardCharsets.UTF_8));
        l.chain.update(templateDigests.computeIfAbsent(vm.template(), t -> digestOf(templates.get(t))));
        if (placing != null) {
            l.chain.update(ruleDigests.computeIfAbsent(placing, p -> digestOf(List.of(p, rules.rulesOf(p)))));
        }
        try {
            return PlanMemo.hex(((MessageDigest) l.chain.clone()).digest());
        } catch (CloneNotSupportedException e) {
            l.chain = null;
            return null;
        }
    }

    private Ledger ledger(HostFacts h, Manifest m) {
        Ledger l = new Ledger();
        Set<String> ours = new HashSet<>();
        m.vms().stream().filter(v -> v.host().equals(h.name())).forEach(v -> ours.add(v.name()));
        // devices held by domains the manifest does not describe are not free; its own VMs' devices are re-placed
        h.assigned().forEach((a, d) -> {
            if (!ours.contains(d)) {
                l.taken.add(a);
            }
        });
        // CPUs that domains the manifest does not describe are pinned to stay theirs (tune --apply, the admin's)
        NumaLedger numa = h.held();
        for (String vm : ours) {
            numa = numa.without(vm);
        }
        l.numa = numa;
        h.lockedMemory().forEach((domain, kib) -> {
            if (!ours.contains(domain)) {
                l.locked += kib;
            }
        });
        // mdevs the manifest's own VMs use are theirs to take again
        Set<String> inUse = new HashSet<>();
        h.mdevUsers().forEach((uuid, user) -> {
            if (!ours.contains(user)) {
                inUse.add(uuid);
            }
        });
        l.mdevs = new MdevAllocation(h.snapshot(), inUse);
        String code = PlanCode.identity();
        try {
            if (code == null) {
                // the code that planned cannot be told: nothing of this host is memoised
                return l;
            }
            MessageDigest chain = MessageDigest.getInstance("SHA-256");
            chain.update(CanonicalText.of(List.of(code, java.nio.file.Path.of(file).getFileName().toString(),
                    h.name(), String.valueOf(h.domainType()), h.snapshot(), h.target(), Optional.ofNullable(h.libvirt()),
                    l.taken, l.numa, inUse)).getBytes(StandardCharsets.UTF_8));
            l.chain = chain;
        } catch (CanonicalText.NotCanonical | java.security.NoSuchAlgorithmException e) {
            l.chain = null;
        }
        return l;
    }

    /**
     * The first stage of a VM's plan, here: its devices taken and its domain generated, or its plan found in the memo
     * where the same inputs were planned before and the devices that plan took are still free (a check that holds even
     * were the key to miss an input: a device is never given twice; CPUs are not checked so, since housekeeping CPUs
     * are shared by design, and the key holds every pin on the host). VMs that pick GPUs by model or place mdevs or
     * vGPUs read more of the host than the key holds: they are always planned in full. Returns the second stage, for
     * the tuner thread: the tuning and NUMA claim, and the plan.
     */
    private Callable<VmPlan> draft(VmSpec vm, HostFacts h, Ledger l, PlanMemo memo, List<TuningInput> unread) {
        Profile profile = vm.profile() == null ? null : rules.profile(vm.profile());
        Profile placing = placing(profile, vm);
        String key = key(vm, l, placing);
        boolean memoisable = key != null && vm.gpuModel() == null && vm.mdevType() == null && vm.vgpuType() == null;
        PlanMemo.Entry e = memoisable ? memo.get(key) : null;
        if (e != null && e.taken().stream().noneMatch(l.taken::contains)) {
            if (!e.taken().isEmpty()) {
                // a memoised VM passes VFIO devices exactly when it took some (mdev and vGPU VMs are never memoised)
                lock(h, l, MemorySize.parseKib(DomainGenerator.memoryOf(templates.get(vm.template()), Map.of(), vm.memory())));
            }
            memoHits++;
            l.taken.addAll(e.taken());
            return () -> {
                if (e.claim() != null) {
                    l.numa = l.numa.with(vm.name(), e.claim());
                }
                return finish(vm, h, e.stamp(), e.xml(), new ArrayList<>(e.actions()), List.copyOf(gpusOf(vm)), null, null);
            };
        }
        Drafted d = generate(vm, h, l, profile, placing);
        if (d.input() != null) {
            unread.add(d.input());
        }
        return () -> {
            Placed p = tune(vm, h, l, d);
            if (memoisable) {
                memo.put(key, new PlanMemo.Entry(p.stamp, p.xml, p.actions, p.taken, p.claim));
            }
            return finish(vm, h, p.stamp, p.xml, new ArrayList<>(p.actions), p.gpus, p.newMdev, p.newVgpu);
        };
    }

    private static List<PciAddress> gpusOf(VmSpec vm) {
        return vm.gpus().stream().map(PciAddress::parse).toList();
    }

    /** A VM placed: its stamp and XML, what it does, what of the host it took. */
    private record Placed(String stamp, String xml, List<String> actions, List<PciAddress> taken, NumaLedger.Claim claim,
                          List<PciAddress> gpus, VmPlan.NewMdev newMdev, VmPlan.NewVgpu newVgpu) {
    }

    /** The plan of a placed VM on its host: refused where a domain of its name is not provisioning's; its status. */
    private VmPlan finish(VmSpec vm, HostFacts h, String stamp, String xml, List<String> actions, List<PciAddress> gpus,
                          VmPlan.NewMdev newMdev, VmPlan.NewVgpu newVgpu) {
        String existing = h.descriptions().get(vm.name());
        if (existing != null && !h.provisioned(vm.name())) {
            // a domain of that name that vfiokit did not provision is the admin's: never redefined, never destroyed
            throw new IllegalArgumentException("domain '" + vm.name() + "' already exists on " + h.name()
                    + " and was not made by vfiokit provision: refusing to redefine it (rename the VM, or undefine that domain yourself)");
        }
        VmPlan.Status status = existing == null ? VmPlan.Status.CREATE : existing.equals(stamp) ? VmPlan.Status.UNCHANGED : VmPlan.Status.UPDATE;
        actions.add(0, (switch (status) {
            case CREATE -> "define ";
            case UPDATE -> "redefine ";
            case UNCHANGED -> "keep ";
            case NOT_REACHED -> throw new IllegalStateException("a placed VM's host was reached");
        }) + vm.name() + " ("
                + vm.template() + (gpus.isEmpty() ? "" : ", GPUs " + String.join(" ", gpus.stream().map(PciAddress::toString).toList()))
                + (vm.vfs().isEmpty() ? "" : ", " + vm.vfs().size() + " VF(s)") + ")");
        return new VmPlan(vm, h.uri(), status, xml, stamp, actions, newMdev, newVgpu);
    }

    /**
     * A VM with its devices, its domain generated and not yet tuned: as text where it is not to be tuned
     * ({@code placing} null), else as the tuner's input, to be tuned with {@code placing}.
     */
    private record Drafted(String xml, TuningInput input, Profile profile, Profile placing, List<String> actions, List<PciAddress> taken, List<PciAddress> gpus,
                           VmPlan.NewMdev newMdev, VmPlan.NewVgpu newVgpu) {
    }

    /** The first stage: devices from the ledger's free ones (taken there), the domain generated. */
    private Drafted generate(VmSpec vm, HostFacts h, Ledger l, Profile profile, Profile placing) {
        var template = templates.get(vm.template());
        List<String> actions = new ArrayList<>();
        List<PciAddress> gpus = new ArrayList<>();
        for (String g : vm.gpus()) {
            PciAddress a = PciAddress.parse(g);
            if (l.taken.contains(a)) {
                throw new IllegalArgumentException(a + " is taken (by another domain or an earlier VM of this manifest)");
            }
            gpus.add(a);
        }
        if (vm.gpuModel() != null) {
            gpus.addAll(pickGpus(vm, h, l));
        }
        Map<PciAddress, String> assigned = new HashMap<>();
        l.taken.forEach(a -> assigned.put(a, "an earlier VM or another domain"));
        String mdevUuid = null;
        VmPlan.NewMdev newMdev = null;
        if (vm.mdevType() != null) {
            MdevAllocation.Choice choice = l.mdevs.allocate(vm.mdevType(), null);
            if (choice instanceof MdevAllocation.Existing e) {
                mdevUuid = e.mdev().uuid();
                actions.add("use the free mdev " + mdevUuid + " (" + e.mdev().type() + ")");
            } else {
                MdevAllocation.ToCreate c = (MdevAllocation.ToCreate) choice;
                if (!h.canChangeHost()) {
                    throw new IllegalArgumentException("no free mdev of type " + vm.mdevType() + " on " + h.name()
                            + ", and mdevs are created only on a host vfiokit runs on (local)");
                }
                // the UUID is derived from host and VM, so a second apply finds the same mdev
                MdevUuid uuid = MdevUuid.parse(java.util.UUID.nameUUIDFromBytes(("vfiokit-mdev:" + h.name() + "/" + vm.name())
                        .getBytes(StandardCharsets.UTF_8)).toString());
                newMdev = new VmPlan.NewMdev(c.parent().name(), c.type().id(), uuid);
                mdevUuid = uuid.value();
                actions.add("create mdev " + mdevUuid + " of type " + c.type().id() + " on " + c.parent().name());
            }
        }
        VmPlan.NewVgpu newVgpu = null;
        List<PciAddress> vendorVgpus = new ArrayList<>();
        HostSnapshot snapshot = h.snapshot();
        if (vm.vgpuType() != null) {
            var placed = placeVgpu(vm, h, l);
            vendorVgpus.add(placed.vf());
            l.vgpusTaken.add(placed.vf());
            if (placed.create()) {
                newVgpu = new VmPlan.NewVgpu(placed.vf().toString(), placed.type());
                snapshot = snapshot.withVendorVgpu(placed.vf(), placed.type());
                actions.add("make " + placed.vf() + " a vGPU of type " + placed.type());
            } else {
                actions.add("use the vGPU " + placed.vf() + " (type " + placed.type() + ")");
            }
        }
        List<String> mdevs = mdevUuid == null ? List.of() : List.of(mdevUuid);
        DomainRequest req = new DomainRequest(vm.template(), vm.name(), h.domainType(), vm.vcpus(), vm.memory(), vm.disk(), gpus,
                vm.vfs().stream().map(VfRequest::parse).toList(), mdevs, true, null, false, Map.of(), vendorVgpus, h.libvirt());
        String options = h.target().kind() == dev.vfiokit.vfio.HostTarget.Kind.LIBVIRT ? null : dev.vfiokit.shell.ScriptWords.options(h.target());
        Domain d = new DomainGenerator(snapshot, assigned, options).domain(template, req);
        // the stamp hashes the domain without vfiokit's mark (its version would make every upgrade redefine every VM)
        DomainOwner.unmark(d);
        List<PciAddress> taken = new ArrayList<>();
        for (var hd : d.devices.hostdevs) {
            if (hd.source != null && hd.source.address != null && hd.source.address.toPciAddress() != null) {
                taken.add(hd.source.address.toPciAddress());
            }
        }
        for (var i : d.devices.interfaces) {
            if (i.source != null && i.source.address != null) {
                taken.add(i.source.address.toPciAddress());
            }
        }
        if (DomainGenerator.passesVfioDevices(d)) {
            lock(h, l, d.memory.value);
        }
        l.taken.addAll(taken);
        d.description = STAMP + "pending";
        if (placing == null) {
            return new Drafted(DomainXml.write(d), null, profile, null, actions, taken, gpus, newMdev, newVgpu);
        }
        // to be tuned: read into the tuner's document from the marshaller's events, the text never written
        TuningInput input = TuningInput.ofEvents(handler -> DomainXml.writeTo(d, handler), DomainXml.INDENT_STEP, () -> DomainXml.write(d));
        return new Drafted(null, input, profile, placing, actions, taken, gpus, newMdev, newVgpu);
    }

    /**
     * A VFIO guest has all its memory locked in host RAM while it runs: placed VMs that, with the other domains passing
     * devices there, would lock more than the host has could not all run, so the plan refuses, as it refuses to give
     * a CPU or a device twice. Judged where the host's memory is known.
     */
    private static void lock(HostFacts h, Ledger l, long kib) {
        long ram = h.snapshot().memoryKib();
        if (ram > 0 && l.locked + kib > ram) {
            throw new IllegalArgumentException("memory: this VM's " + MemorySize.describe(kib) + ", locked for its passthrough devices, and the "
                    + MemorySize.describe(l.locked) + " that other VFIO guests lock on " + h.name() + " (its domains and the VMs above)"
                    + " are more than its " + MemorySize.describe(ram) + " of RAM: over-commit refused");
        }
        l.locked += kib;
    }

    /** The second stage, in manifest order: tuned with the VM's profile around the NUMA ledger, which it joins. */
    private Placed tune(VmSpec vm, HostFacts h, Ledger l, Drafted draft) {
        Profile profile = draft.profile();
        List<String> actions = new ArrayList<>(draft.actions());
        String xml = draft.xml();
        NumaLedger.Claim claim = null;
        Profile placing = draft.placing();
        if (placing != null) {
            TuningResult tuned = new Tuner(rules).tuneToDefine(draft.input(), placing, h.snapshot(), l.numa);
            for (RuleOutcome o : tuned.outcomes()) {
                if (PLACING.contains(o.rule().id())) {
                    if (o.status() == RuleOutcome.Status.CANNOT_APPLY) {
                        // a host too small for what earlier VMs left is over-committed; anything else cannot place it at all
                        boolean full = o.reason().contains(" free ");
                        throw new IllegalArgumentException(o.rule().id() + ": " + o.reason() + (full ? ": over-commit refused"
                                : o.rule().id().equals("vcpu-pinning") ? " (pin: false places the VM unpinned)" : ""));
                    }
                    o.changes().stream().filter(c -> c.startsWith("pinned ") || c.startsWith("backed ")).forEach(actions::add);
                }
            }
            xml = tuned.tunedXml();
            claim = NumaLedger.claimOf(vm.name(), tuned.tunedDomain());
            l.numa = l.numa.with(vm.name(), claim);
            if (profile != null) {
                actions.add("tune with " + profile.name());
            }
        }
        String stamp = STAMP + sha256(xml).substring(0, 16);
        xml = DomainOwner.of(DomainOwner.BY_PROVISION, vm.name(), java.nio.file.Path.of(file).getFileName().toString()).markXml(xml.replace(STAMP + "pending", stamp));
        return new Placed(stamp, xml, actions, draft.taken(), claim, draft.gpus(), draft.newMdev(), draft.newVgpu());
    }

    private List<PciAddress> pickGpus(VmSpec vm, HostFacts h, Ledger l) {
        String model = vm.gpuModel().toLowerCase();
        var names = dev.vfiokit.iommucheck.host.PciIdNames.load(h.root() == null ? dev.vfiokit.iommucheck.host.HostRoot.local() : h.root(),
                h.snapshot().gpus());
        Map<Integer, List<PciAddress>> byNode = new TreeMap<>();
        for (PciDevice g : h.snapshot().gpus()) {
            boolean matches = g.ids().equals(model) || names.describe(g).toLowerCase().contains(model);
            if (matches && !l.taken.contains(g.address())) {
                byNode.computeIfAbsent(g.numaNode(), k -> new ArrayList<>()).add(g.address());
            }
        }
        for (List<PciAddress> free : byNode.values()) {
            if (free.size() >= vm.gpuCount()) {
                return free.subList(0, vm.gpuCount());
            }
        }
        int total = byNode.values().stream().mapToInt(List::size).sum();
        throw new IllegalArgumentException("wants " + vm.gpuCount() + " free GPU(s) matching '" + vm.gpuModel() + "' on one NUMA node; "
                + total + " free in all" + (byNode.isEmpty() ? "" : " (per node: " + byNode.entrySet().stream()
                .map(e -> "node " + e.getKey() + ": " + e.getValue().size()).toList() + ")"));
    }

    /** A vendor vGPU VF for a VM: one it has already, else a free one of the type, else one to make so ({@code create}). */
    private record PlacedVgpu(PciAddress vf, int type, boolean create) {
    }

    private PlacedVgpu placeVgpu(VmSpec vm, HostFacts h, Ledger l) {
        dev.vfiokit.vfio.VgpuPlanner planner = new dev.vfiokit.vfio.VgpuPlanner(h.snapshot());
        List<PciDevice> vfs = planner.all();
        String type = vm.vgpuType();
        java.util.function.Predicate<PciDevice> isType = vf -> planner.isOfType(vf, type);
        // a VF is free for this VM unless another domain (not one of the manifest's VMs placed again) or an earlier VM has it
        java.util.function.Predicate<PciDevice> open = vf -> !l.taken.contains(vf.address()) && !l.vgpusTaken.contains(vf.address());
        for (PciDevice vf : vfs) {
            if (isType.test(vf) && vm.name().equals(h.assigned().get(vf.address())) && !l.vgpusTaken.contains(vf.address())) {
                return new PlacedVgpu(vf.address(), vf.vendorVgpu().currentType(), false);
            }
        }
        for (PciDevice vf : vfs) {
            if (isType.test(vf) && open.test(vf)) {
                return new PlacedVgpu(vf.address(), vf.vendorVgpu().currentType(), false);
            }
        }
        Map<PciAddress, List<PciDevice>> freeByGpu = new TreeMap<>();
        for (PciDevice vf : vfs) {
            if (vf.vendorVgpu().free() && open.test(vf) && vf.vendorVgpu().creatable(type).isPresent()) {
                freeByGpu.computeIfAbsent(vf.physfn(), k -> new ArrayList<>()).add(vf);
            }
        }
        if (freeByGpu.isEmpty()) {
            throw new IllegalArgumentException("no free VF on " + h.name() + " can take vGPU type '" + type
                    + "' (earlier VMs of this manifest count; see: vfiokit vgpu types)");
        }
        if (!h.canChangeHost()) {
            throw new IllegalArgumentException("no VF is a vGPU of type " + type + " on " + h.name()
                    + ", and vGPUs are made only on a host vfiokit runs on (local)");
        }
        PciDevice vf = freeByGpu.values().stream().max((a, b) -> Integer.compare(a.size(), b.size())).orElseThrow().get(0);
        return new PlacedVgpu(vf.address(), vf.vendorVgpu().creatable(type).orElseThrow().id(), true);
    }

    /**
     * The rules a VM is tuned with: its profile's, where vcpu-pinning follows the manifest's {@code pin} (the
     * "pinned" trait asks for it also without passed devices) and KVM is hidden only where the manifest asks; null
     * when there is nothing to tune.
     */
    private static Profile placing(Profile profile, VmSpec vm) {
        List<String> ruleIds = new ArrayList<>(profile == null ? List.of() : profile.ruleIds());
        Set<String> traits = new HashSet<>(profile == null ? Set.of() : profile.traits());
        ruleIds.remove("vcpu-pinning");
        if (vm.pin()) {
            ruleIds.add(profile == null ? 0 : Math.max(0, profile.ruleIds().indexOf("vcpu-pinning")) , "vcpu-pinning");
            traits.add("pinned");
        }
        if (vm.hideKvm()) {
            traits.add("hide-kvm");
        }
        if (ruleIds.isEmpty()) {
            return null;
        }
        return profile == null ? new Profile("pinned", "the manifest's pin: true", traits, ruleIds, "manifest")
                : new Profile(profile.name(), profile.description(), traits, ruleIds, profile.origin());
    }

    private static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }


}
