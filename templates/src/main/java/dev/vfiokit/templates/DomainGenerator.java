package dev.vfiokit.templates;

import dev.vfiokit.iommucheck.check.GroupAnalyzer;
import dev.vfiokit.iommucheck.check.GroupReport;
import dev.vfiokit.iommucheck.check.HostNeed;
import dev.vfiokit.iommucheck.host.HostSnapshot;
import dev.vfiokit.iommucheck.host.PciAddress;
import dev.vfiokit.iommucheck.host.Bar;
import dev.vfiokit.iommucheck.host.Mmio64Window;
import dev.vfiokit.iommucheck.host.PciDevice;
import dev.vfiokit.iommucheck.host.LibvirtVersion;
import dev.vfiokit.iommucheck.check.MemlockBudget;
import dev.vfiokit.templates.xml.Address;
import dev.vfiokit.templates.xml.Controller;
import dev.vfiokit.templates.xml.Disk;
import dev.vfiokit.templates.xml.DiskSource;
import dev.vfiokit.templates.xml.DiskTarget;
import dev.vfiokit.templates.xml.Domain;
import dev.vfiokit.templates.xml.DomainXml;
import dev.vfiokit.templates.xml.DriverName;
import dev.vfiokit.templates.xml.Hostdev;
import dev.vfiokit.templates.xml.HostdevSource;
import dev.vfiokit.templates.xml.Interface;
import dev.vfiokit.templates.xml.InterfaceSource;
import dev.vfiokit.templates.xml.Mac;
import dev.vfiokit.templates.xml.Memory;
import dev.vfiokit.templates.xml.Rom;
import dev.vfiokit.templates.xml.Vcpu;
import dev.vfiokit.templates.xml.Vlan;
import dev.vfiokit.templates.xml.VlanTag;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Turns a {@link DomainRequest} into domain XML for one host. Rules that cost admins hours are built in: all
 * functions of a device go together into one guest slot (same function numbers, multifunction on function
 * 0), each passed device sits behind its own pcie-root-port, a device is never given out whose IOMMU group
 * holds something the host needs or another guest's device, and VF MACs are stable across redefinition.
 */
public final class DomainGenerator {
    private static final Pattern UUID_FORM = Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    private final HostSnapshot host;
    private final Map<PciAddress, String> assigned;
    private final String hostOptions;

    /**
     * @param assigned host devices already given to other defined domains (address to domain name), as the
     *                 caller read them from libvirt; empty when unknown
     */
    public DomainGenerator(HostSnapshot host, Map<PciAddress, String> assigned) {
        this(host, assigned, "");
    }

    /**
     * @param hostOptions how a vfiokit command names this host, as it follows the command in a hint (" --host demo",
     *                    "" for this machine), or null for a host seen through libvirt, where such commands run on that host
     */
    public DomainGenerator(HostSnapshot host, Map<PciAddress, String> assigned, String hostOptions) {
        host.facts().requireWhole("domain generation");
        this.host = host;
        this.assigned = Map.copyOf(assigned);
        this.hostOptions = hostOptions;
    }

    public GeneratedDomain generate(Template template, DomainRequest req) {
        List<String> notes = new ArrayList<>();
        Domain d = build(template, req, notes);
        return new GeneratedDomain(d, DomainXml.write(d), notes);
    }

    /** The domain made as {@link #generate} makes it, not yet written (for a caller that changes it on, as provisioning does). */
    public Domain domain(Template template, DomainRequest req) {
        return build(template, req, new ArrayList<>());
    }

    private Domain build(Template template, DomainRequest req, List<String> notes) {
        String name = DomainNames.requireValid(req.name());
        Map<String, String> values = parameterValues(template, req);
        Domain d = SkeletonDomains.of(template.render(values));
        d.type = req.domainType() == null ? "kvm" : req.domainType();
        if (!d.type.equals("kvm") && !d.type.equals("qemu")) {
            throw new IllegalArgumentException("domain type must be kvm or qemu, got '" + d.type + "'");
        }
        if (d.type.equals("qemu") && d.cpu != null && "host-passthrough".equals(d.cpu.mode)) {
            // TCG has no host CPU to pass through; 'maximum' gives the guest every feature QEMU can emulate
            d.cpu.mode = "maximum";
            notes.add("domain type qemu (no KVM): CPU mode maximum instead of host-passthrough");
        }
        if (d.os != null && d.os.features != null && !"efi".equals(d.os.firmware)) {
            // firmware features choose among OVMF builds: a BIOS guest has none to choose
            d.os.features = null;
        }
        d.name = name;
        d.uuid = UUID.nameUUIDFromBytes(("vfiokit:" + name).getBytes(StandardCharsets.UTF_8)).toString();
        d.title = "vfiokit " + template.name();
        long kib = MemorySize.parseKib(values.get("memory"));
        d.memory = new Memory(kib);
        d.currentMemory = new Memory(kib);
        d.vcpu = new Vcpu(parseVcpus(values.get("vcpus")));
        if ("none".equals(values.get("network"))) {
            // network=none: a guest without the template's NIC (one reached by its VFs or its console only)
            d.devices.interfaces.removeIf(i -> "network".equals(i.type));
        }
        if (d.cpu != null && d.cpu.topology == null) {
            // without a topology libvirt gives each vCPU a socket of its own; Windows client editions use two sockets
            d.cpu.topology = new dev.vfiokit.templates.xml.CpuTopology();
            d.cpu.topology.sockets = 1;
            d.cpu.topology.dies = 1;
            d.cpu.topology.cores = d.vcpu.count;
            d.cpu.topology.threads = 1;
        }
        boolean arm = host.cpu().isArm64();
        if (arm) {
            aarch64Guest(d, notes);
        }
        if (req.disk() != null && !req.disk().isBlank()) {
            String bus = values.getOrDefault("disk_bus", "virtio");
            if (arm && bus.equals("sata")) {
                // the virt machine has no AHCI controller of its own
                bus = "virtio";
                notes.add("aarch64: the disk is virtio (the virt machine has no SATA controller)");
            }
            d.devices.disks.add(disk(req.disk(), bus));
        }
        boolean q35 = d.os != null && d.os.type != null && d.os.type.machine != null && d.os.type.machine.startsWith("q35");
        Slots slots = new Slots(d, q35);
        Set<PciAddress> taken = new HashSet<>();
        addPciDevices(d, req, slots, taken, notes);
        addVfs(d, req, name, slots, taken, notes);
        addMdevs(d, req, notes);
        addVendorVgpus(d, req, slots, taken, notes);
        mmio64Window(d, req, notes);
        vfioBackend(d, req, notes);
        fitsTheHostsMemory(d, values.get("memory"));
        boolean mdevDisplay = d.devices.hostdevs.stream().anyMatch(h -> "on".equals(h.display));
        if (!d.devices.graphics.isEmpty() && !mdevDisplay) {
            for (dev.vfiokit.templates.xml.Video v : d.devices.videos) {
                if (v.model != null && "none".equals(v.model.type)) {
                    // video none leaves the VNC/SPICE console black when no mdev display feeds it
                    v.model.type = "virtio";
                    notes.add("video virtio: no mdev display to show on the console (a passed GPU drives its own outputs)");
                }
            }
        }
        // the mark that says vfiokit made it: only such a domain is vfiokit's to redefine or remove
        DomainOwner.of(DomainOwner.BY_GENERATE, name, null).mark(d);
        return d;
    }

    /**
     * A guest with a VFIO device has all its memory pinned for DMA (libvirt locks it), so one larger than the host's
     * RAM could never start; refused here rather than at the first start. Where the host's memory is not known (a
     * host seen through libvirt's test driver, a sysfs tree without meminfo), nothing is judged.
     */
    private void fitsTheHostsMemory(Domain d, String asked) {
        long host = this.host.memoryKib();
        if (passesVfioDevices(d) && host > 0 && d.memory.value > host) {
            throw new RequestRefused("memory " + asked + " is more than the " + MemorySize.describe(host)
                    + " of RAM host " + this.host.source() + " has: a guest with passthrough devices has all its memory locked"
                    + " for DMA, so it could never start");
        }
    }

    /** Whether the domain passes a VFIO device (a PCI device, a VF, an mdev, a vGPU): then all its memory is locked. */
    public static boolean passesVfioDevices(Domain d) {
        return !d.devices.hostdevs.isEmpty() || d.devices.interfaces.stream().anyMatch(i -> "hostdev".equals(i.type));
    }

    /**
     * The memory a domain is generated with: the request's, else a {@code memory} template parameter given, else the
     * template's default, else 2GiB.
     */
    public static String memoryOf(Template t, Map<String, String> parameters, String requested) {
        if (requested != null) {
            return requested;
        }
        if (parameters.get("memory") != null) {
            return parameters.get("memory");
        }
        return t.parameters().stream().filter(p -> p.name().equals("memory") && p.defaultValue() != null)
                .map(TemplateParameter::defaultValue).findFirst().orElse("2GiB");
    }

    private static Map<String, String> parameterValues(Template t, DomainRequest req) {
        Map<String, String> values = new LinkedHashMap<>();
        t.parameters().forEach(p -> values.put(p.name(), p.defaultValue()));
        for (Map.Entry<String, String> e : req.parameters().entrySet()) {
            if (!values.containsKey(e.getKey())) {
                throw new IllegalArgumentException("template " + t.name() + " has no parameter '" + e.getKey() + "' (it has: "
                        + String.join(", ", values.keySet()) + ")");
            }
            values.put(e.getKey(), e.getValue());
        }
        if (req.vcpus() != null) {
            values.put("vcpus", String.valueOf(req.vcpus()));
        }
        values.put("memory", memoryOf(t, req.parameters(), req.memory()));
        if (values.containsKey("vendor_id") && !values.get("vendor_id").matches("[A-Za-z0-9]{1,12}")) {
            throw new IllegalArgumentException("vendor_id must be 1-12 letters or digits, got '" + values.get("vendor_id") + "'");
        }
        values.putIfAbsent("vcpus", "2");
        return values;
    }

    private static int parseVcpus(String v) {
        try {
            return Integer.parseInt(v.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("vCPUs must be a number, got '" + v + "'");
        }
    }

    private static Disk disk(String path, String bus) {
        if (!bus.equals("virtio") && !bus.equals("sata") && !bus.equals("scsi")) {
            throw new IllegalArgumentException("disk_bus must be virtio, sata or scsi, got '" + bus + "'");
        }
        Disk disk = new Disk();
        disk.type = "file";
        disk.device = "disk";
        disk.driver = new DriverName();
        disk.driver.name = "qemu";
        disk.driver.type = path.endsWith(".qcow2") ? "qcow2" : "raw";
        disk.driver.cache = "none";
        disk.driver.io = "native";
        disk.source = new DiskSource();
        disk.source.file = path;
        disk.target = new DiskTarget();
        disk.target.dev = bus.equals("virtio") ? "vda" : "sda";
        disk.target.bus = bus;
        return disk;
    }

    /**
     * An arm64 host (Grace, Ampere, Graviton) runs aarch64 guests: QEMU's virt machine (PCIe, so root ports and
     * passthrough work as on q35), UEFI always (AAVMF, chosen by libvirt from the firmware descriptors; virt has no
     * BIOS), a GICv3 (the host's under KVM), a PL011 serial, and none of the x86 parts the templates carry (APIC,
     * I/O APIC, SMM, vmport, Hyper-V enlightenments, KVM hiding, x86 timers, PS/2, the ICH9 sound card).
     */
    private static void aarch64Guest(Domain d, List<String> notes) {
        d.os.type.arch = "aarch64";
        if (d.os.type.machine == null || d.os.type.machine.startsWith("q35") || d.os.type.machine.startsWith("pc")) {
            d.os.type.machine = "virt";
        }
        if (!"efi".equals(d.os.firmware)) {
            d.os.firmware = "efi";
            notes.add("aarch64: UEFI firmware (AAVMF); the virt machine has no BIOS");
        }
        if (d.features == null) {
            d.features = new dev.vfiokit.templates.xml.Features();
        }
        d.features.apic = null;
        d.features.ioapic = null;
        d.features.smm = null;
        d.features.vmport = null;
        d.features.hyperv = null;
        d.features.kvm = null;
        d.features.gic = new dev.vfiokit.templates.xml.Gic();
        d.features.gic.version = "kvm".equals(d.type) ? "host" : "3";
        if (d.clock != null) {
            d.clock.timers.clear();
        }
        for (dev.vfiokit.templates.xml.CharDevice serial : d.devices.serials) {
            if (serial.target != null && "isa-serial".equals(serial.target.type)) {
                serial.target.type = "system-serial";
            }
        }
        d.devices.inputs.removeIf(i -> "ps2".equals(i.bus));
        d.devices.sounds.clear();
        if (d.devices.tpm != null && "tpm-crb".equals(d.devices.tpm.model)) {
            d.devices.tpm.model = "tpm-tis";
        }
        d.devices.videos.forEach(v -> {
            if (v.model != null && !"none".equals(v.model.type) && !"virtio".equals(v.model.type)) {
                v.model.type = "virtio";
                v.model.vram = null;
            }
        });
        notes.add("aarch64 guest for this arm64 host: machine " + d.os.type.machine + ", GICv3, PL011 serial; the template's "
                + "x86-only parts left out");
    }

    /**
     * What the target libvirt and the host's kernel offer for the domain's VFIO devices: a variant driver's model
     * (libvirt 10.0+; older ones bind vfio-pci themselves), iommufd (libvirt 12.1+ and a kernel with iommufd and the
     * VFIO cdev; else the legacy group path), and the locked memory that needs: where libvirt's own limit (RAM + 1G) is
     * short, because BARs through iommufd count, a hard_limit that covers them. Each choice is said in a note.
     */
    private void vfioBackend(Domain d, DomainRequest req, List<String> notes) {
        LibvirtVersion libvirt = req.targetLibvirt();
        List<DriverName> drivers = new ArrayList<>();
        List<PciAddress> sources = new ArrayList<>();
        for (Hostdev h : d.devices.hostdevs) {
            if ("pci".equals(h.type) && h.driver != null && "vfio".equals(h.driver.name) && h.source != null && h.source.address != null) {
                drivers.add(h.driver);
                sources.add(h.source.address.toPciAddress());
            }
        }
        for (Interface i : d.devices.interfaces) {
            if ("hostdev".equals(i.type) && i.driver != null && "vfio".equals(i.driver.name) && i.source != null && i.source.address != null) {
                drivers.add(i.driver);
                sources.add(i.source.address.toPciAddress());
            }
        }
        if (drivers.isEmpty()) {
            return;
        }
        String version = libvirt == null ? "the target libvirt's version is unknown" : "libvirt " + libvirt;
        for (int i = 0; i < drivers.size(); i++) {
            PciDevice dev = host.device(sources.get(i)).orElse(null);
            var variant = dev == null ? java.util.Optional.<dev.vfiokit.iommucheck.host.VariantDrivers.Choice>empty()
                    : host.variantDrivers().variantFor(dev.modalias());
            if (variant.isEmpty()) {
                continue;
            }
            if (libvirt != null && libvirt.atLeast(LibvirtVersion.VARIANT_DRIVER_MODEL)) {
                drivers.get(i).model = variant.get().driverName();
                notes.add(sources.get(i) + ": <driver model='" + variant.get().driverName() + "'/>, the VFIO variant driver the host's "
                        + "modules.alias has for it (" + version + " takes models since 10.0)");
            } else {
                notes.add(sources.get(i) + ": the host has the VFIO variant driver " + variant.get().driverName() + " for it, but "
                        + version + (libvirt == null ? "" : ", older than 10.0,") + " binds vfio-pci itself: bind it first ("
                        + "vfiokit bind --device " + sources.get(i) + (hostOptions == null ? "" : hostOptions) + ") and set managed='no' to use the variant");
            }
        }
        boolean iommufd = host.vfio().iommufdBackend() && libvirt != null && libvirt.atLeast(LibvirtVersion.HOSTDEV_IOMMUFD);
        if (iommufd) {
            drivers.forEach(x -> x.iommufd = "yes");
            notes.add("VFIO through iommufd (<driver iommufd='yes'/>): the host's kernel has iommufd and the VFIO cdev, and "
                    + version + " takes it (12.1+)");
        } else {
            notes.add("VFIO through the legacy group path: " + (!host.vfio().iommufdBackend()
                    ? "the host's kernel offers no iommufd with the VFIO cdev (see check's vfio.backend)"
                    : version + (libvirt == null ? "" : " has no per-device iommufd (12.1+)")));
        }
        List<MemlockBudget.Passed> passed = sources.stream().map(a -> new MemlockBudget.Passed(a, iommufd)).toList();
        MemlockBudget.Verdict v = new MemlockBudget(d.memory.value, null, d.devices.other.stream().anyMatch(e -> e.getLocalName().equals("iommu")), passed).judge(host);
        if (!v.enough()) {
            d.memtune = new dev.vfiokit.templates.xml.Memtune();
            long kib = v.hardLimitKib();
            d.memtune.hardLimit = new Memory(kib);
            notes.add("<memtune><hard_limit> " + kib / (1024 * 1024) + "G: the locked memory this domain needs ("
                    + String.join("; ", v.evidence()) + ") is more than libvirt's own limit");
        }
    }

    /** Guest PCIe slots: one pcie-root-port per passed device, numbered after the template's controllers. */
    private static final class Slots {
        private final Domain d;
        private final boolean q35;
        private int next;

        Slots(Domain d, boolean q35) {
            this.d = d;
            this.q35 = q35;
            this.next = d.devices.controllers.stream().filter(c -> "pci".equals(c.type) && c.index != null)
                    .mapToInt(c -> c.index).max().orElse(0) + 1;
        }

        /** A new root port's bus number, or -1 on machines without PCIe root ports (libvirt places the device). */
        int newPort() {
            if (!q35) {
                return -1;
            }
            int index = next++;
            d.devices.controllers.add(Controller.of("pci", index, "pcie-root-port"));
            return index;
        }
    }

    private void addPciDevices(Domain d, DomainRequest req, Slots slots, Set<PciAddress> taken, List<String> notes) {
        Map<String, List<PciDevice>> bySlot = new TreeMap<>();
        Set<PciAddress> wanted = new HashSet<>();
        for (PciAddress a : req.pciDevices()) {
            PciDevice dev = requireDevice(a);
            if (dev.isBridge()) {
                throw new RequestRefused(a + " is a PCI bridge: bridges stay with the host");
            }
            refuseHostNeeded(dev);
            for (PciDevice f : withSiblings(dev)) {
                if (wanted.add(f.address()) && !req.pciDevices().contains(f.address())) {
                    notes.add(f.address() + " (" + f.classWord() + ") added: the functions of " + slotOf(a) + " go together");
                }
            }
        }
        nvswitchPartition(wanted, notes);
        for (PciAddress a : wanted) {
            PciDevice f = host.device(a).orElseThrow();
            refuseUnsafeGroup(f, wanted);
            refuseAssigned(a);
            bySlot.computeIfAbsent(slotOf(a), k -> new ArrayList<>()).add(f);
        }
        for (List<PciDevice> functions : bySlot.values()) {
            functions.sort((x, y) -> x.address().compareTo(y.address()));
            int bus = slots.newPort();
            boolean multi = functions.size() > 1;
            for (PciDevice f : functions) {
                Hostdev h = Hostdev.vfioPci(f.address());
                if (f.isGpu() && (req.romFile() != null || req.romBarOff())) {
                    h.rom = new Rom();
                    h.rom.bar = req.romBarOff() ? "off" : null;
                    h.rom.file = req.romFile();
                }
                if (bus >= 0) {
                    int fn = f.address().function();
                    h.address = Address.guestPci(bus, 0, fn, multi && fn == 0);
                }
                d.devices.hostdevs.add(h);
                taken.add(f.address());
            }
            if (multi && functions.get(0).address().function() != 0) {
                throw new RequestRefused(slotOf(functions.get(0).address()) + " has no function 0 on this host");
            }
        }
    }

    /**
     * On an NVSwitch board, Fabric Manager's mode decides what a guest may get: in shared NVSwitch or vGPU mode the
     * switches are Fabric Manager's and a guest's GPUs are one partition (1, 2, 4 or 8); in full passthrough a guest
     * that is to use NVLink takes the switches with its GPUs.
     */
    private void nvswitchPartition(Set<PciAddress> wanted, List<String> notes) {
        List<PciDevice> switches = host.nvswitches();
        if (switches.isEmpty()) {
            return;
        }
        List<PciDevice> gpus = new ArrayList<>();
        List<PciDevice> passedSwitches = new ArrayList<>();
        for (PciAddress a : wanted) {
            PciDevice d = host.device(a).orElseThrow();
            if (d.isNvswitch()) {
                passedSwitches.add(d);
            } else if (d.isGpu() && d.vendorId() == 0x10de && !d.isVirtualFunction()) {
                gpus.add(d);
            }
        }
        Integer mode = host.fabricManagerMode();
        String modeName = dev.vfiokit.iommucheck.check.NvswitchCheck.modeName(mode);
        if (mode != null && (mode == 1 || mode == 2)) {
            if (!passedSwitches.isEmpty()) {
                throw new RequestRefused("NVSwitch " + passedSwitches.get(0).address() + " is Fabric Manager's in " + modeName
                        + ": switches are not given to guests there");
            }
            if (!gpus.isEmpty() && !dev.vfiokit.iommucheck.check.NvswitchCheck.partitionSize(gpus.size())) {
                throw new RequestRefused(gpus.size() + " GPUs of the NVSwitch board are no Fabric Manager partition (" + modeName
                        + " gives a guest the 1, 2, 4 or 8 GPUs of one partition; fmpm -l lists them)");
            }
            return;
        }
        if (!gpus.isEmpty() && passedSwitches.size() < switches.size()) {
            notes.add("NVSwitch board in full passthrough (" + modeName + "): without all " + switches.size() + " NVSwitches ("
                    + String.join(" ", switches.stream().map(s -> s.address().toString()).toList()) + ") the guest's GPUs have no NVLink "
                    + "between them; pass the switches too, and run Fabric Manager in the guest");
        }
    }

    /**
     * GPUs with large BARs (an H100's 128G) need a guest 64-bit MMIO window that holds them all, or the guest's driver
     * sees "BAR0 is 0M": for a UEFI guest, OVMF's aperture through fw_cfg (opt/ovmf/X-PciMmio64Mb, in MiB).
     */
    private void mmio64Window(Domain d, DomainRequest req, List<String> notes) {
        List<PciDevice> passed = new ArrayList<>();
        for (Hostdev h : d.devices.hostdevs) {
            if ("pci".equals(h.type) && h.source != null && h.source.address != null) {
                host.device(h.source.address.toPciAddress()).ifPresent(passed::add);
            }
        }
        Mmio64Window w = Mmio64Window.of(passed);
        if (!w.exceedsOvmfDefault()) {
            return;
        }
        if (d.os == null || !"efi".equals(d.os.firmware)) {
            notes.add("the passed devices' 64-bit BARs (" + Bar.label(w.barBytes()) + ") need a " + Bar.label(w.windowBytes())
                    + " window, which only a UEFI guest is given here (--param firmware=efi)");
            return;
        }
        org.w3c.dom.Document doc;
        try {
            doc = javax.xml.parsers.DocumentBuilderFactory.newInstance().newDocumentBuilder().newDocument();
        } catch (javax.xml.parsers.ParserConfigurationException e) {
            throw new IllegalStateException(e);
        }
        // libvirt reserves the opt/ovmf/ names of <sysinfo type='fwcfg'> for itself ("That firmware name is reserved"),
        // so the entry goes to QEMU as its own -fw_cfg argument, as Proxmox passes it
        String ns = "http://libvirt.org/schemas/domain/qemu/1.0";
        org.w3c.dom.Element cmdline = doc.createElementNS(ns, "qemu:commandline");
        for (String value : Mmio64Window.qemuArguments(w)) {
            org.w3c.dom.Element arg = doc.createElementNS(ns, "qemu:arg");
            arg.setAttribute("value", value);
            cmdline.appendChild(arg);
        }
        d.other.add(cmdline);
        notes.add("64-bit MMIO window of " + Bar.label(w.windowBytes()) + " for BARs of " + Bar.label(w.barBytes()) + " (OVMF's default is "
                + Bar.label(Mmio64Window.OVMF_DEFAULT) + "): QEMU's -fw_cfg " + Mmio64Window.FW_CFG_ENTRY + "=" + w.windowMiB());
    }

    private PciDevice requireDevice(PciAddress a) {
        return host.device(a).orElseThrow(() -> new IllegalArgumentException("no PCI device " + a + " on host "
                + host.source() + " (see: vfiokit devices)"));
    }

    private List<PciDevice> withSiblings(PciDevice dev) {
        List<PciDevice> all = new ArrayList<>();
        all.add(dev);
        if (!dev.isVirtualFunction()) {
            host.siblings(dev).stream().filter(s -> !s.isBridge() && !s.isVirtualFunction()).forEach(all::add);
        }
        return all;
    }

    private static String slotOf(PciAddress a) {
        String s = a.toString();
        return s.substring(0, s.length() - 2);
    }

    /**
     * A device the host runs on (the NIC of its default route, a storage or USB controller its drivers hold) never
     * goes to a guest; the other functions of a card being passed (a GPU's USB-C controller) are the card's, not the host's.
     */
    private void refuseHostNeeded(PciDevice dev) {
        new GroupAnalyzer(host).hostNeed(dev).ifPresent(why -> {
            String spare = dev.isStorage() || dev.isUsb() ? "; if the host does not need it after all, bind it to "
                    + "vfio-pci first (bind refuses a device anything is mounted from), then pass it" : "";
            throw new RequestRefused(dev.address() + " " + why + ": the host needs it, so it is not given to a guest" + spare);
        });
    }

    private void refuseUnsafeGroup(PciDevice f, Set<PciAddress> wanted) {
        if (f.iommuGroup() == null) {
            throw new RequestRefused(f.address() + " is in no IOMMU group: the host runs without an IOMMU (see: vfiokit check)");
        }
        GroupReport g = new GroupAnalyzer(host).of(f).orElseThrow();
        List<String> needed = g.hostNeeded().stream().filter(h -> !wanted.contains(h.address())).map(HostNeed::toString).toList();
        if (!needed.isEmpty()) {
            throw new RequestRefused(f.address() + ": IOMMU group " + g.id() + " also holds devices the host needs: "
                    + String.join("; ", needed));
        }
        List<String> missing = g.members().stream().filter(m -> !m.isBridge() && !wanted.contains(m.address()))
                .map(m -> m.address() + " (" + m.classWord() + ")").toList();
        if (!missing.isEmpty()) {
            throw new RequestRefused(f.address() + ": IOMMU group " + g.id() + " is not viable for this guest alone; "
                    + "these members must be passed too: " + String.join(", ", missing));
        }
    }

    private void refuseAssigned(PciAddress a) {
        String owner = assigned.get(a);
        if (owner != null) {
            throw new RequestRefused(a + " is already given to domain '" + owner + "'");
        }
    }

    private void addVfs(Domain d, DomainRequest req, String vmName, Slots slots, Set<PciAddress> taken, List<String> notes) {
        Map<PciAddress, Integer> nextFree = new HashMap<>();
        int ordinal = 0;
        for (VfRequest v : req.vfs()) {
            PciDevice vf = resolveVf(v, nextFree, taken);
            refuseAssigned(vf.address());
            if (!taken.add(vf.address())) {
                throw new RequestRefused("VF " + vf.address() + " is asked for twice");
            }
            int bus = slots.newPort();
            Address guest = bus >= 0 ? Address.guestPci(bus, 0, 0, false) : null;
            if (v.plainHostdev()) {
                if (v.mac() != null || v.vlan() != null) {
                    throw new IllegalArgumentException("--vf " + v.device() + ": mac= and vlan= need mode=interface; with "
                            + "mode=hostdev set them on the PF (vfiokit vf set)");
                }
                Hostdev h = Hostdev.vfioPci(vf.address());
                h.address = guest;
                d.devices.hostdevs.add(h);
            } else {
                Interface i = new Interface();
                i.type = "hostdev";
                i.managed = "yes";
                String mac = v.mac() != null ? v.mac() : MacAddresses.forVm(vmName, ordinal);
                i.mac = new Mac(mac);
                if (v.mac() == null) {
                    notes.add("VF " + vf.address() + ": MAC " + i.mac.address + " derived from the VM name (stable across redefinition)");
                }
                i.source = new InterfaceSource();
                i.source.address = Address.hostPci(vf.address());
                i.source.address.type = "pci";
                if (v.vlan() != null) {
                    i.vlan = new Vlan();
                    i.vlan.tags.add(new VlanTag(v.vlan()));
                }
                i.driver = new DriverName();
                i.driver.name = "vfio";
                i.address = guest;
                d.devices.interfaces.add(i);
            }
            if (v.trust() != null || v.spoofchk() != null) {
                notes.add(pfSetting(vf, v));
            }
            ordinal++;
        }
    }

    /**
     * libvirt sets a VF's MAC and VLAN when the guest starts, but not trust or spoof checking: those are the PF's
     * (ip link set PF vf N trust on). The note is the command that sets them, for this host.
     */
    private String pfSetting(PciDevice vf, VfRequest v) {
        PciDevice pf = vf.physfn() == null ? null : host.device(vf.physfn()).orElse(null);
        int index = pf == null || pf.sriov() == null ? -1 : pf.sriov().virtfns().indexOf(vf.address());
        String what = (v.trust() != null ? "trust " + v.trust() : "") + (v.trust() != null && v.spoofchk() != null ? ", " : "")
                + (v.spoofchk() != null ? "spoof checking " + v.spoofchk() : "");
        if (pf == null || index < 0 || pf.netdevs().isEmpty()) {
            throw new RequestRefused("VF " + vf.address() + ": " + what + " is set through its PF's network interface, and this host shows none");
        }
        return "VF " + vf.address() + ": " + what + " is the PF's to set, not libvirt's; run: vfiokit vf set"
                + (hostOptions == null ? "" : hostOptions) + " --pf " + pf.netdevs().get(0) + " --vf " + index
                + (v.trust() != null ? " --trust " + v.trust() : "") + (v.spoofchk() != null ? " --spoofchk " + v.spoofchk() : "")
                + (hostOptions == null ? " on that host" : "") + " (it holds until the PF's driver reloads)";
    }

    private PciDevice resolveVf(VfRequest v, Map<PciAddress, Integer> nextFree, Set<PciAddress> taken) {
        PciDevice dev;
        if (PciAddress.looksLike(v.device())) {
            dev = requireDevice(PciAddress.parse(v.device()));
        } else {
            dev = host.deviceByNetdev(v.device());
        }
        if (dev.isVirtualFunction()) {
            if (v.vfIndex() != null) {
                throw new IllegalArgumentException("--vf " + v.device() + " is a VF already; vf= is for a PF");
            }
            return dev;
        }
        if (!dev.isSriovPhysicalFunction()) {
            throw new RequestRefused(dev.address() + " is neither an SR-IOV VF nor a PF");
        }
        List<PciAddress> vfs = dev.sriov().virtfns();
        if (vfs.isEmpty()) {
            String create = "vfiokit vf create --pf " + dev.address() + " --count " + Math.min(Math.max(dev.sriov().totalVfs(), 1), 8);
            throw new RequestRefused("PF " + dev.address() + " has no VFs enabled; enable some " + (hostOptions == null
                    ? "on that host with: " + create : "with: " + create + hostOptions));
        }
        if (v.vfIndex() != null) {
            if (v.vfIndex() < 0 || v.vfIndex() >= vfs.size()) {
                throw new RequestRefused("PF " + dev.address() + " has VFs 0-" + (vfs.size() - 1) + " enabled; vf=" + v.vfIndex() + " does not exist");
            }
            return requireDevice(vfs.get(v.vfIndex()));
        }
        int start = nextFree.getOrDefault(dev.address(), 0);
        for (int i = start; i < vfs.size(); i++) {
            PciAddress a = vfs.get(i);
            if (!taken.contains(a) && !assigned.containsKey(a)) {
                nextFree.put(dev.address(), i + 1);
                return requireDevice(a);
            }
        }
        throw new RequestRefused("PF " + dev.address() + ": all " + vfs.size() + " enabled VFs are taken");
    }

    /**
     * NVIDIA vendor-specific VFIO vGPU VFs: each alone (not with the GPU's other functions, which share its slot),
     * managed='no' (the VF stays on nvidia: libvirt must not rebind it), and the domain's UUID fixed now, since NVIDIA's
     * guest driver takes the VM's UUID (QEMU's -uuid, which libvirt sets from it) as the vGPU's.
     */
    private void addVendorVgpus(Domain d, DomainRequest req, Slots slots, Set<PciAddress> taken, List<String> notes) {
        for (PciAddress a : req.vendorVgpus()) {
            PciDevice vf = requireDevice(a);
            if (vf.vendorVgpu() == null) {
                throw new RequestRefused(a + " is not an NVIDIA vendor-specific VFIO vGPU VF (no nvidia/current_vgpu_type)");
            }
            if (vf.vendorVgpu().free()) {
                throw new RequestRefused(a + " is no vGPU yet (current_vgpu_type 0): vfiokit vgpu create --vf " + a + " --type ID first");
            }
            refuseAssigned(a);
            if (!taken.add(a)) {
                throw new RequestRefused(a + " is given twice");
            }
            Hostdev h = Hostdev.vfioPci(a);
            h.managed = "no";
            h.driver = null;
            int bus = slots.newPort();
            if (bus >= 0) {
                h.address = Address.guestPci(bus, 0, 0, false);
            }
            d.devices.hostdevs.add(h);
            notes.add(a + ": vGPU type " + vf.vendorVgpu().currentType() + ", passed on nvidia (managed='no')");
        }
        if (!req.vendorVgpus().isEmpty() && d.uuid == null) {
            d.uuid = java.util.UUID.nameUUIDFromBytes(("vfiokit-vgpu:" + host.source() + "/" + d.name).getBytes(java.nio.charset.StandardCharsets.UTF_8)).toString();
        }
    }

    private static void addMdevs(Domain d, DomainRequest req, List<String> notes) {
        // libvirt's QEMU driver refuses display='on' without a graphics device to show it on
        boolean display = req.mdevDisplay() && !d.devices.graphics.isEmpty();
        if (req.mdevDisplay() && d.devices.graphics.isEmpty() && !req.mdevUuids().isEmpty()) {
            notes.add("mdev display off: template " + req.template() + " has no graphics device to show it on");
        }
        for (String uuid : req.mdevUuids()) {
            if (!UUID_FORM.matcher(uuid).matches()) {
                throw new IllegalArgumentException("not an mdev UUID: '" + uuid + "'");
            }
            Hostdev h = new Hostdev();
            h.mode = "subsystem";
            h.type = "mdev";
            h.model = "vfio-pci";
            h.display = display ? "on" : "off";
            h.ramfb = display ? "on" : null;
            h.managed = "no";
            h.source = new HostdevSource();
            h.source.address = Address.mdev(uuid.toLowerCase());
            d.devices.hostdevs.add(h);
        }
    }
}
