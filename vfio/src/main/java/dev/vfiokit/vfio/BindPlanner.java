package dev.vfiokit.vfio;

import dev.vfiokit.iommucheck.check.GroupAnalyzer;
import dev.vfiokit.iommucheck.check.HostNeeds;
import dev.vfiokit.iommucheck.check.GroupReport;
import dev.vfiokit.iommucheck.host.HostRoot;
import dev.vfiokit.iommucheck.host.HostSnapshot;
import dev.vfiokit.iommucheck.host.PciAddress;
import dev.vfiokit.iommucheck.host.PciDevice;
import dev.vfiokit.iommucheck.host.VariantDrivers;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Plans moving devices to vfio-pci, and back. Binding uses driver_override (never new_id, which grabs every
 * device with the same ids): override, unbind from the current driver, drivers_probe, then verify the driver
 * link and /dev/vfio/GROUP. Whole IOMMU groups move together; devices the host needs are refused.
 */
public final class BindPlanner {
    private static final String VFIO = "vfio-pci";
    private final HostSnapshot host;
    private final HostTarget target;
    private HostNeeds needs;
    private final HostRoot root;

    public BindPlanner(HostSnapshot host, HostTarget target) {
        host.facts().requireWhole("binding");
        this.host = host;
        this.target = target;
        this.root = target.root();
    }

    /** The one host-needs policy, told which interface this SSH session came in on (only the host itself knows). */
    private HostNeeds needs() {
        if (needs == null) {
            needs = new HostNeeds(host, SessionInterface.of(target));
        }
        return needs;
    }

    /**
     * The devices a bind takes: those named, and with {@code group} the rest of their IOMMU groups. Refused: a bridge,
     * a device without a group, a group not viable alone without {@code group}, and any member the host needs that
     * the group would drag along ({@link HostNeeds}). Bind through sysfs and through libvirt both go by it.
     */
    public Targets targets(List<PciAddress> devices, boolean group) {
        if (devices.isEmpty()) {
            throw new IllegalArgumentException("name at least one PCI address to bind");
        }
        Set<PciAddress> targets = new TreeSet<>();
        for (PciAddress a : devices) {
            PciDevice d = device(a);
            if (d.isBridge()) {
                throw VfioFailure.refused(a + " is a PCI bridge: bridges stay with the host (vfio-pci refuses them)");
            }
            targets.add(a);
        }
        List<String> notes = new ArrayList<>();
        GroupAnalyzer groups = new GroupAnalyzer(host);
        for (PciAddress a : new ArrayList<>(targets)) {
            PciDevice d = device(a);
            if (d.iommuGroup() == null) {
                throw VfioFailure.refused(a + " is in no IOMMU group: the IOMMU is off (see: vfiokit check)");
            }
            GroupReport g = groups.of(d).orElseThrow();
            List<PciAddress> missing = g.members().stream().filter(m -> !m.isBridge() && !targets.contains(m.address())
                    && !m.boundToVfio()).map(PciDevice::address).toList();
            if (!missing.isEmpty()) {
                if (!group) {
                    throw VfioFailure.refused("IOMMU group " + g.id() + " of " + a + " is not viable alone: "
                            + String.join(", ", missing.stream().map(PciAddress::toString).toList())
                            + " must come along (add them, or use --group)");
                }
                // --group never drags along a device the host runs on; one named on the command line is the admin's choice
                List<String> hostNeeded = missing.stream().filter(m -> !m.sameSlot(a))
                        .flatMap(m -> needs().of(device(m)).map(n -> m + " " + n.why()).stream()).toList();
                if (!hostNeeded.isEmpty()) {
                    throw VfioFailure.refused("IOMMU group " + g.id() + " of " + a + " also holds what the host needs: "
                            + String.join("; ", hostNeeded) + " (--group takes no such device along; name it with --device "
                            + "if the host does not need it)");
                }
                targets.addAll(missing);
                notes.add("IOMMU group " + g.id() + ": " + String.join(", ", missing.stream().map(PciAddress::toString).toList())
                        + " come along");
            }
        }
        return new Targets(List.copyOf(targets), notes);
    }

    /** What a bind takes, in address order, and what it says about it. */
    public record Targets(List<PciAddress> devices, List<String> notes) {
        public Targets {
            devices = List.copyOf(devices);
            notes = List.copyOf(notes);
        }
    }

    public Operation bind(BindRequest req) {
        Targets resolved = targets(req.devices(), req.group());
        Set<PciAddress> targets = new TreeSet<>(resolved.devices());
        List<String> notes = new ArrayList<>(resolved.notes());
        GroupAnalyzer groups = new GroupAnalyzer(host);
        List<String> refusals = new ArrayList<>();
        for (PciAddress a : targets) {
            PciDevice d = device(a);
            if (d.vendorVgpu() != null) {
                // NVIDIA's vendor-specific VFIO: the VF is passed on nvidia; vfio-pci refuses it (EINVAL) and the VF is lost
                throw VfioFailure.refused("refused: " + a + " is an NVIDIA vendor-specific VFIO vGPU VF: it stays on nvidia "
                        + "and goes to a guest as it is (vfiokit vgpu create --vf " + a + " --type ID makes it a vGPU)");
            }
            java.util.Optional<HostNeeds.Need> need = needs().of(d);
            if (need.isPresent() && need.get().kind() == HostNeeds.Kind.IN_USE) {
                // storage the host has mounted or swaps on (its root, say) is never taken from it, whatever --force says
                throw VfioFailure.refused("refused: " + a + " " + need.get().why()
                        + ": unmount it (or swapoff) first (--force does not override this)");
            }
            if (need.isPresent() && need.get().kind() == HostNeeds.Kind.NETWORK) {
                refusals.add(a + " " + need.get().why());
            }
            // a controller a host driver merely holds is the admin's to name; the boot GPU is the console's
            if (d.bootVga()) {
                refusals.add(a + " is the boot VGA device (the host console)");
            }
            // MIG GPU instances are the nvidia driver's: unbinding it destroys them
            List<String> mig = host.migInstances(d).orElse(List.of());
            if (!mig.isEmpty()) {
                refusals.add(a + " has MIG GPU instances (" + String.join(", ", mig) + "), which the unbind destroys");
            }
            // a display server or CUDA job holding the GPU: the unbind would hang or pull the device from under it
            if (!host.usersOf(a).isEmpty()) {
                refusals.add(a + " is held by host processes: " + String.join(", ", host.usersOf(a)));
            }
            String domain = req.runningDomainDevices().get(a);
            if (domain != null) {
                refusals.add(a + " is in use by running domain '" + domain + "'");
            }
        }
        if (!refusals.isEmpty()) {
            if (!req.force()) {
                throw VfioFailure.refused("refused: " + String.join("; ", refusals) + " (--force overrides)");
            }
            notes.add("--force: " + String.join("; ", refusals));
        }
        List<Step> steps = new ArrayList<>();
        List<DeviceState> before = new ArrayList<>();
        if (!root.exists("/sys/bus/pci/drivers/" + VFIO)) {
            steps.add(Step.exec(List.of("modprobe", VFIO), new Expect.Exists("/sys/bus/pci/drivers/" + VFIO), "load vfio-pci"));
        }
        Set<Integer> groupsTouched = new LinkedHashSet<>();
        Set<String> loaded = new TreeSet<>();
        for (PciAddress a : targets) {
            PciDevice d = device(a);
            before.add(new DeviceState(a, d.driver(), d.driverOverride()));
            String base = "/sys/bus/pci/devices/" + a + "/";
            String drv = vfioDriver(d, req.driver(), notes);
            if (drv.equals(d.driver()) && drv.equals(d.driverOverride())) {
                notes.add(a + " is on " + drv + " already");
                continue;
            }
            if (!drv.equals(VFIO) && !root.exists("/sys/bus/pci/drivers/" + drv) && loaded.add(drv)) {
                steps.add(Step.exec(List.of("modprobe", drv), new Expect.Exists("/sys/bus/pci/drivers/" + drv), "load " + drv));
            }
            steps.add(Step.write(base + "driver_override", drv, new Expect.ValueIs(base + "driver_override", drv),
                    "only " + drv + " may take " + a));
            if (d.driver() != null && !d.driver().equals(drv)) {
                steps.add(Step.write(base + "driver/unbind", a.toString(), Expect.driver(a, "none"), "release " + a + " from " + d.driver()));
            }
            if (!drv.equals(d.driver())) {
                steps.add(Step.write("/sys/bus/pci/drivers_probe", a.toString(), Expect.driver(a, drv), "bind " + a + " to " + drv));
            }
            groupsTouched.add(d.iommuGroup());
        }
        for (Integer g : groupsTouched) {
            steps.add(Step.check(new Expect.Exists("/dev/vfio/" + g), "IOMMU group " + g + " is usable through /dev/vfio/" + g));
        }
        List<FileState> files = new ArrayList<>();
        if (req.persist()) {
            // at boot the whole group must go to vfio-pci again, also members already on vfio-pci now
            Set<PciAddress> persisted = new LinkedHashSet<>(targets);
            for (PciAddress a : targets) {
                groups.of(device(a)).ifPresent(g -> g.members().stream().filter(m -> !m.isBridge())
                        .forEach(m -> persisted.add(m.address())));
            }
            List<String> along = persisted.stream().filter(a -> !targets.contains(a)).map(PciAddress::toString).toList();
            if (!along.isEmpty()) {
                notes.add("persisted with their IOMMU group: " + String.join(", ", along));
            }
            for (PciAddress a : persisted) {
                String f = "/etc/driverctl.d/pci-" + a;
                files.add(new FileState(f, root.read(f).map(c -> c + "\n").orElse(null)));
                steps.add(Step.configFile(f, VFIO + "\n", "bind " + a + " to vfio-pci at every boot (driverctl's udev rule applies it)"));
            }
            notes.add("driverctl override files are applied at boot by driverctl's udev rule: apt-get install driverctl");
        }
        if (req.persistById()) {
            String f = "/etc/modprobe.d/vfiokit-vfio.conf";
            files.add(new FileState(f, root.read(f).map(c -> c + "\n").orElse(null)));
            Set<String> ids = new TreeSet<>();
            Set<String> softdeps = new TreeSet<>();
            for (PciAddress a : targets) {
                PciDevice d = device(a);
                ids.add(d.ids());
                if (d.isGpu()) {
                    switch (d.vendorId()) {
                        case 0x10de -> softdeps.addAll(List.of("nvidia", "nouveau"));
                        case 0x1002 -> softdeps.addAll(List.of("amdgpu", "radeon"));
                        case 0x8086 -> softdeps.add("i915");
                        default -> {
                        }
                    }
                }
                if (d.isAudio()) {
                    softdeps.add("snd_hda_intel");
                }
            }
            StringBuilder conf = new StringBuilder("# written by vfiokit bind --persist-by-id: vfio-pci takes these ids at boot\n");
            conf.append("options vfio-pci ids=").append(String.join(",", ids)).append('\n');
            softdeps.forEach(m -> conf.append("softdep ").append(m).append(" pre: vfio-pci\n"));
            steps.add(Step.configFile(f, conf.toString(), "vfio-pci claims " + String.join(",", ids) + " at boot, before the host drivers"));
            notes.add("rebuild the initramfs so this applies at early boot: update-initramfs -u (Debian/Ubuntu) or dracut -f");
            long sameIds = host.devices().stream().filter(x -> ids.contains(x.ids()) && !targets.contains(x.address())).count();
            if (sameIds > 0) {
                notes.add("warning: " + sameIds + " other device(s) on this host have the same ids and will go to vfio-pci too: "
                        + "prefer --persist (by address)");
            }
        }
        String summary = "bind " + String.join(" ", targets.stream().map(PciAddress::toString).toList()) + " to "
                + (notes.stream().anyMatch(n -> n.contains("goes to the VFIO variant driver")) || req.driver() != null && !VFIO.equals(req.driver())
                ? "their VFIO drivers" : "vfio-pci");
        return new Operation(Operation.Kind.BIND, summary, steps, before, files, List.of(), List.of(), notes);
    }

    /**
     * The VFIO driver for a device: the one asked for (vfio-pci, or a variant driver the kernel lists for this device),
     * else the variant driver modules.alias fits best, else vfio-pci; a chosen variant is noted with the alias line.
     */
    private String vfioDriver(PciDevice d, String asked, List<String> notes) {
        var aliases = host.variantDrivers();
        if (asked != null) {
            String want = asked.strip();
            if (want.equals(VFIO) || want.equals("vfio_pci")) {
                return VFIO;
            }
            var fits = aliases.variantFor(d.modalias()).filter(c -> c.module().equals(want) || c.driverName().equals(want));
            if (fits.isEmpty()) {
                throw new IllegalArgumentException("--driver " + want + " is no VFIO variant driver for " + d.address()
                        + " in this kernel's modules.alias (variants here: " + (aliases.variantModules().isEmpty() ? "none"
                        : String.join(", ", aliases.variantModules())) + "; vfio-pci always fits)");
            }
            return fits.get().driverName();
        }
        var choice = aliases.variantFor(d.modalias());
        choice.ifPresent(c -> notes.add(d.address() + " goes to the VFIO variant driver " + c.driverName() + " (modules.alias: "
                + c.aliasLine() + "), as libvirt 10.0+ would bind it; --driver vfio-pci binds the generic driver"));
        return choice.map(VariantDrivers.Choice::driverName).orElse(VFIO);
    }

    /** Gives devices back: clear the override, unbind from vfio-pci, and with {@code restore} let the host driver probe. */
    public Operation unbind(List<PciAddress> devices, boolean restore) {
        if (devices.isEmpty()) {
            throw new IllegalArgumentException("name at least one PCI address to unbind");
        }
        List<Step> steps = new ArrayList<>();
        List<DeviceState> before = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        for (PciAddress a : devices) {
            PciDevice d = device(a);
            before.add(new DeviceState(a, d.driver(), d.driverOverride()));
            String base = "/sys/bus/pci/devices/" + a + "/";
            if (d.driverOverride() != null) {
                steps.add(Step.write(base + "driver_override", "", new Expect.Nothing(), "let any driver take " + a + " again"));
            }
            if (d.driver() != null) {
                if (!d.boundToVfio()) {
                    throw VfioFailure.refused(a + " is on " + d.driver() + ", not vfio-pci: nothing to unbind");
                }
                steps.add(Step.write(base + "driver/unbind", a.toString(), Expect.driver(a, "none"), "release " + a + " from " + d.driver()));
            }
            if (restore) {
                steps.add(Step.write("/sys/bus/pci/drivers_probe", a.toString(), Expect.driver(a, "!" + d.driver()), "let the host driver take " + a));
            }
            if (root.exists("/etc/driverctl.d/pci-" + a)) {
                notes.add(a + " is still bound at boot by /etc/driverctl.d/pci-" + a + " (vfiokit persist remove --device " + a + (target.options().isEmpty() ? "" : " " + String.join(" ", target.options())) + ")");
            }
        }
        return new Operation(Operation.Kind.UNBIND, (restore ? "give back " : "unbind ") + String.join(" ",
                devices.stream().map(PciAddress::toString).toList()) + (restore ? " to the host drivers" : " from vfio-pci"),
                steps, before, List.of(), List.of(), List.of(), notes);
    }

    /** Removes devices' boot-time binding (their driverctl overrides), journaled so that undo writes them back. */
    public Operation unpersist(List<PciAddress> devices) {
        List<Step> steps = new ArrayList<>();
        List<FileState> files = new ArrayList<>();
        for (PciAddress a : devices) {
            String f = "/etc/driverctl.d/pci-" + a;
            String content = root.read(f).orElseThrow(() -> noOverride(a, f));
            files.add(new FileState(f, content + "\n"));
            steps.add(Step.removeFile(f, a + " no longer goes to " + content + " at boot"));
        }
        return new Operation(Operation.Kind.PERSIST_REMOVE, "remove boot-time vfio bindings of " + String.join(" ",
                devices.stream().map(PciAddress::toString).toList()), steps, List.of(), files, List.of(), List.of(),
                List.of("the devices stay on vfio-pci until the next boot or vfiokit unbind"));
    }

    /** Why there is nothing to remove: no binding at all, or one by id that covers other devices too. */
    private VfioFailure noOverride(PciAddress a, String file) {
        PciDevice d = host.device(a).orElse(null);
        var eb = host.earlyBinding();
        if (d != null && eb.vfioIds().contains(d.ids())) {
            long others = host.devices().stream().filter(o -> o.ids().equals(d.ids()) && !o.address().equals(a)).count();
            return VfioFailure.refused(a + " goes to vfio-pci at boot by id (vfio-pci ids=" + d.ids() + ", in "
                    + String.join(", ", eb.sources().stream().filter(src -> src.contains(d.ids())).toList()) + "), which also binds " + others + " other device(s) with that id; "
                    + "vfiokit removes per-address bindings only: edit that line yourself (then update-initramfs -u)");
        }
        return VfioFailure.refused("no boot-time binding for " + a + " (" + file + ")");
    }

    private PciDevice device(PciAddress a) {
        return host.device(a).orElseThrow(() -> new IllegalArgumentException("no PCI device " + a + " on host " + host.source()));
    }
}
