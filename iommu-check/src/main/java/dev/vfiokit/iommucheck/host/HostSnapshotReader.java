package dev.vfiokit.iommucheck.host;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** Reads a {@link HostSnapshot} from a host root: sysfs, procfs, ACPI tables, modules, modprobe.d. */
public final class HostSnapshotReader {
    private static final List<String> MODPROBE_DIRS = List.of("/etc/modprobe.d", "/lib/modprobe.d",
            "/usr/lib/modprobe.d", "/run/modprobe.d");

    /** arm64 implementer codes (arch/arm64/include/asm/cputype.h) and the Neoverse parts of server CPUs. */
    private static final Map<String, String> ARM_IMPLEMENTERS = Map.of("0x41", "ARM", "0x4e", "NVIDIA", "0x48", "HiSilicon",
            "0xc0", "Ampere", "0x51", "Qualcomm");
    private static final Map<String, String> ARM_PARTS = Map.of("0xd0c", "Neoverse-N1", "0xd40", "Neoverse-V1",
            "0xd49", "Neoverse-N2", "0xd4f", "Neoverse-V2", "0xd84", "Neoverse-V3");

    private final HostRoot root;

    public HostSnapshotReader(HostRoot root) {
        this.root = root;
    }

    public HostSnapshot read(String source) {
        List<PciDevice> devices = new PciDeviceReader(root).readAll();
        String release = root.read("/proc/sys/kernel/osrelease").orElse("unknown");
        String cmdline = root.read("/proc/cmdline").orElse("");
        Map<String, KernelModule> modules = modules();
        List<NumaNode> nodes = numaNodes();
        MdevReader mdev = new MdevReader(root);
        return new HostSnapshot(source, FactSource.SYSFS, release, cmdline, cpu(), root.exists("/dev/kvm"),
                new HashSet<>(root.list("/sys/firmware/acpi/tables")), root.list("/sys/class/iommu"),
                interruptRemapping(cmdline, modules), modules, availableModules(release), earlyBinding(cmdline),
                nodes, cpuThreads(nodes), devices, PciDeviceReader.groups(devices), mdev.parents(), mdev.devices(), framebuffers(),
                defaultRouteInterface(), new BlockDeviceUse(root).read(), new DeviceNodeUsers(root, devices),
                new MigInstances(root), fabricManagerMode(), vfioInterfaces(release),
                VariantDrivers.parse(root.lines("/lib/modules/" + release + "/modules.alias")));
    }

    /**
     * The host read for {@code groups} alone ({@link FactSource#SYSFS_GROUPS}): the functions as groups need them
     * ({@link PciDeviceReader#readGroupMembers}), the storage in use and the default route (what the host needs);
     * kernel, CPU, modules, NUMA, mdev and the rest are left empty. On a host with thousands of VFs this is most of
     * the difference between {@code groups} and {@code lspci}.
     */
    public HostSnapshot readGroups(String source) {
        List<PciDevice> devices = new PciDeviceReader(root).readGroupMembers();
        return new HostSnapshot(source, FactSource.SYSFS_GROUPS, "unknown", "", new CpuInfo("unknown", "unknown", Set.of(), 0),
                false, Set.of(), List.of(), InterruptRemapping.UNKNOWN, Map.of(), Set.of(),
                EarlyBinding.NONE, List.of(), List.of(), devices,
                PciDeviceReader.groups(devices), List.of(), List.of(), List.of(), defaultRouteInterface(),
                new BlockDeviceUse(root).read(), DeviceNodeUsers.NONE, MigInstances.NONE, null, null, null);
    }

    private CpuInfo cpu() {
        String vendor = "unknown";
        String model = "unknown";
        Set<String> flags = Set.of();
        int count = 0;
        boolean first = true;
        String arch = CpuInfo.X86_64;
        for (String line : root.lines("/proc/cpuinfo")) {
            int colon = line.indexOf(':');
            if (colon < 0) {
                continue;
            }
            String key = line.substring(0, colon).strip();
            String value = line.substring(colon + 1).strip();
            switch (key) {
                case "processor" -> {
                    count++;
                    first = count == 1;
                }
                case "vendor_id" -> vendor = first ? value : vendor;
                case "model name" -> model = first ? value : model;
                case "flags" -> flags = first ? Set.of(value.split("\\s+")) : flags;
                case "Features" -> flags = first ? Set.of(value.split("\\s+")) : flags;
                case "CPU implementer" -> {
                    // arm64 writes no vendor_id: the implementer code names the designer (0x41 Arm, as on Grace)
                    arch = CpuInfo.AARCH64;
                    vendor = first ? ARM_IMPLEMENTERS.getOrDefault(value.toLowerCase(), value) : vendor;
                }
                case "CPU part" -> model = first ? ARM_PARTS.getOrDefault(value.toLowerCase(), "part " + value) : model;
                default -> {
                }
            }
        }
        return new CpuInfo(vendor, model, flags, count, arch);
    }

    private InterruptRemapping interruptRemapping(String cmdline, Map<String, KernelModule> modules) {
        Set<String> chips = new LinkedHashSet<>();
        for (String line : root.lines("/proc/interrupts")) {
            for (String token : line.strip().split("\\s+")) {
                // IR-* on x86; on arm64 MSIs through the GICv3 ITS (ITS-PCI-MSIX-...) are isolated per device, as vfio asks
                if (token.startsWith("IR-") || token.startsWith("ITS-")) {
                    // IR-PCI-MSIX-0000:01:00.0 and IR-PCI-MSI-0000:... name one chip kind
                    int dev = token.indexOf("-0000:");
                    chips.add(dev > 0 ? token.substring(0, dev) : token);
                }
            }
        }
        List<String> evidence = new ArrayList<>();
        if (!chips.isEmpty()) {
            evidence.add("/proc/interrupts: remapped interrupt chips " + String.join(", ", chips));
        } else if (root.exists("/proc/interrupts")) {
            evidence.add("/proc/interrupts: no IR-* interrupt chips");
        }
        for (String arg : cmdline.split("\\s+")) {
            if (arg.startsWith("intremap=") || arg.equals("nointremap")) {
                evidence.add("kernel command line: " + arg);
            }
        }
        KernelModule type1 = modules.get("vfio_iommu_type1");
        Boolean unsafe = null;
        if (type1 != null && type1.parameters().containsKey("allow_unsafe_interrupts")) {
            unsafe = type1.parameters().get("allow_unsafe_interrupts").startsWith("Y");
            evidence.add("vfio_iommu_type1 allow_unsafe_interrupts=" + type1.parameters().get("allow_unsafe_interrupts"));
        }
        return new InterruptRemapping(!chips.isEmpty(), unsafe, evidence);
    }

    private Map<String, KernelModule> modules() {
        Map<String, KernelModule> modules = new TreeMap<>();
        Set<String> loaded = new HashSet<>();
        for (String line : root.lines("/proc/modules")) {
            String[] f = line.split("\\s+");
            if (f.length > 0 && !f[0].isEmpty()) {
                loaded.add(f[0]);
            }
        }
        for (String name : loaded) {
            modules.put(name, new KernelModule(name, false, parameters(name)));
        }
        for (String name : root.list("/sys/module")) {
            // in /sys/module but not in /proc/modules: built into the kernel
            if (!loaded.contains(name) && !root.exists("/sys/module/" + name + "/initstate")) {
                modules.put(name, new KernelModule(name, true, parameters(name)));
            }
        }
        return modules;
    }

    private Map<String, String> parameters(String module) {
        Map<String, String> params = new HashMap<>();
        String dir = "/sys/module/" + module + "/parameters/";
        for (String p : root.list(dir)) {
            root.read(dir + p).ifPresent(v -> params.put(p, v));
        }
        return params;
    }

    private Set<String> availableModules(String release) {
        Set<String> names = new HashSet<>();
        String base = "/lib/modules/" + release + "/";
        for (String file : List.of("modules.dep", "modules.builtin")) {
            for (String line : root.lines(base + file)) {
                int colon = line.indexOf(':');
                String path = colon < 0 ? line : line.substring(0, colon);
                int slash = path.lastIndexOf('/');
                String leaf = path.substring(slash + 1);
                int dot = leaf.indexOf(".ko");
                if (dot > 0) {
                    names.add(KernelModuleNames.normalize(leaf.substring(0, dot)));
                }
            }
        }
        return names;
    }

    private EarlyBinding earlyBinding(String cmdline) {
        Set<String> ids = new LinkedHashSet<>();
        Set<String> softdeps = new LinkedHashSet<>();
        Map<PciAddress, String> overrides = new HashMap<>();
        List<String> sources = new ArrayList<>();
        for (String arg : cmdline.split("\\s+")) {
            if (arg.startsWith("vfio-pci.ids=") || arg.startsWith("vfio_pci.ids=")) {
                addIds(ids, arg.substring(arg.indexOf('=') + 1));
                sources.add("kernel command line: " + arg);
            }
        }
        for (String dir : MODPROBE_DIRS) {
            for (String file : root.list(dir)) {
                if (!file.endsWith(".conf")) {
                    continue;
                }
                for (String raw : root.lines(dir + "/" + file)) {
                    String line = raw.strip();
                    String[] w = line.split("\\s+");
                    if (w.length >= 3 && w[0].equals("options") && KernelModuleNames.normalize(w[1]).equals("vfio_pci")) {
                        for (int i = 2; i < w.length; i++) {
                            if (w[i].startsWith("ids=")) {
                                addIds(ids, w[i].substring(4));
                                sources.add(dir + "/" + file + ": " + line);
                            }
                        }
                    } else if (w.length >= 4 && w[0].equals("softdep") && line.contains("pre:")
                            && (line.contains("vfio-pci") || line.contains("vfio_pci"))) {
                        softdeps.add(KernelModuleNames.normalize(w[1]));
                        sources.add(dir + "/" + file + ": " + line);
                    }
                }
            }
        }
        for (String file : root.list("/etc/driverctl.d")) {
            if (file.startsWith("pci-") && PciAddress.looksLike(file.substring(4))) {
                root.read("/etc/driverctl.d/" + file).ifPresent(driver -> {
                    overrides.put(PciAddress.parse(file.substring(4)), driver);
                    sources.add("/etc/driverctl.d/" + file + ": " + driver);
                });
            }
        }
        return new EarlyBinding(ids, softdeps, overrides, sources);
    }

    private static void addIds(Set<String> ids, String list) {
        for (String id : list.split(",")) {
            if (!id.isBlank()) {
                ids.add(id.strip().toLowerCase());
            }
        }
    }

    private List<NumaNode> numaNodes() {
        List<NumaNode> nodes = new ArrayList<>();
        for (String entry : root.list("/sys/devices/system/node")) {
            if (!entry.matches("node\\d+")) {
                continue;
            }
            int id = Integer.parseInt(entry.substring(4));
            String base = "/sys/devices/system/node/" + entry;
            nodes.add(new NumaNode(id, CpuList.parse(root.read(base + "/cpulist").orElse("")),
                    hugepages(base + "/hugepages/"), memTotalKib(base + "/meminfo")));
        }
        if (nodes.isEmpty()) {
            // a kernel without NUMA: one node holding every CPU, the global hugepage pools and all the memory
            nodes.add(new NumaNode(0, CpuList.parse(root.read("/sys/devices/system/cpu/online").orElse("")),
                    hugepages("/sys/kernel/mm/hugepages/"), memTotalKib("/proc/meminfo")));
        }
        nodes.sort((a, b) -> Integer.compare(a.id(), b.id()));
        return nodes;
    }

    /**
     * MemTotal in kB from a meminfo file: a node's ("Node 0 MemTotal:  131914532 kB") or /proc's ("MemTotal: ... kB");
     * 0 where the file or the line is missing or does not read.
     */
    private long memTotalKib(String path) {
        String text = root.read(path).orElse("");
        int at = text.indexOf("MemTotal:");
        if (at < 0) {
            return 0;
        }
        int end = text.indexOf('\n', at);
        String value = text.substring(at + "MemTotal:".length(), end < 0 ? text.length() : end).strip();
        if (!value.endsWith(" kB")) {
            return 0;
        }
        try {
            return Long.parseLong(value.substring(0, value.length() - 3).strip());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private List<Hugepages> hugepages(String dir) {
        List<Hugepages> pools = new ArrayList<>();
        for (String entry : root.list(dir)) {
            if (entry.startsWith("hugepages-") && entry.endsWith("kB")) {
                long size = Long.parseLong(entry.substring("hugepages-".length(), entry.length() - 2));
                pools.add(new Hugepages(size, root.readInt(dir + entry + "/nr_hugepages").orElse(0),
                        root.readInt(dir + entry + "/free_hugepages").orElse(0)));
            }
        }
        pools.sort((a, b) -> Long.compare(a.sizeKb(), b.sizeKb()));
        return pools;
    }

    private List<CpuThread> cpuThreads(List<NumaNode> nodes) {
        Map<Integer, Integer> nodeOf = new HashMap<>();
        for (NumaNode n : nodes) {
            n.cpus().forEach(c -> nodeOf.put(c, n.id()));
        }
        List<CpuThread> threads = new ArrayList<>();
        for (String entry : root.list("/sys/devices/system/cpu")) {
            if (!entry.matches("cpu\\d+")) {
                continue;
            }
            int cpu = Integer.parseInt(entry.substring(3));
            String t = "/sys/devices/system/cpu/" + entry + "/topology/";
            if (!root.exists(t + "core_id")) {
                continue;
            }
            threads.add(new CpuThread(cpu, root.readInt(t + "core_id").orElse(cpu),
                    root.readInt(t + "physical_package_id").orElse(0), nodeOf.getOrDefault(cpu, 0),
                    CpuList.parse(root.read(t + "thread_siblings_list").orElse(String.valueOf(cpu))), lastLevelCache(entry)));
        }
        threads.sort((a, b) -> Integer.compare(a.cpu(), b.cpu()));
        return threads;
    }

    /**
     * The CPUs sharing this CPU's last-level cache: cache/indexN of the highest level that is not an instruction
     * cache (Documentation/ABI/testing/sysfs-devices-system-cpu), its shared_cpu_list.
     */
    private List<Integer> lastLevelCache(String cpuEntry) {
        String dir = "/sys/devices/system/cpu/" + cpuEntry + "/cache";
        int best = -1;
        List<Integer> shared = List.of();
        for (String index : root.list(dir)) {
            if (!index.matches("index\\d+")) {
                continue;
            }
            int level = root.readInt(dir + "/" + index + "/level").orElse(-1);
            String type = root.read(dir + "/" + index + "/type").orElse("").strip();
            if (level > best && !type.equals("Instruction")) {
                best = level;
                shared = CpuList.parse(root.read(dir + "/" + index + "/shared_cpu_list").orElse(""));
            }
        }
        return shared;
    }

    private List<String> framebuffers() {
        List<String> fbs = new ArrayList<>();
        for (String line : root.lines("/proc/fb")) {
            String l = line.strip();
            int sp = l.indexOf(' ');
            fbs.add(sp < 0 ? l : l.substring(sp + 1).strip());
        }
        return fbs;
    }

    private String defaultRouteInterface() {
        for (String line : root.lines("/proc/net/route")) {
            String[] f = line.strip().split("\\s+");
            if (f.length > 2 && "00000000".equals(f[1]) && !"Iface".equals(f[0])) {
                return f[0];
            }
        }
        return null;
    }

    /** The VFIO interfaces: nodes in /dev, and the kernel config's word where /boot has the config. */
    private VfioInterfaces vfioInterfaces(String release) {
        Map<String, String> config = new HashMap<>();
        for (String line : root.lines("/boot/config-" + release)) {
            String l = line.strip();
            for (String key : VfioInterfaces.CONFIG_KEYS) {
                if (l.startsWith(key + "=")) {
                    config.put(key, l.substring(key.length() + 1));
                } else if (l.equals("# " + key + " is not set")) {
                    config.put(key, "n");
                }
            }
        }
        return new VfioInterfaces(root.exists("/dev/vfio/vfio"), root.exists("/dev/iommu"), root.exists("/dev/vfio/devices"), config);
    }

    /** FABRIC_MODE of NVIDIA Fabric Manager's config (its default is 0), null where Fabric Manager is not installed. */
    private Integer fabricManagerMode() {
        List<String> lines = root.lines("/usr/share/nvidia/nvswitch/fabricmanager.cfg");
        if (lines.isEmpty()) {
            return null;
        }
        for (String line : lines) {
            String l = line.strip();
            if (l.startsWith("FABRIC_MODE=")) {
                return HostRoot.parseInt(l.substring("FABRIC_MODE=".length())).orElse(0);
            }
        }
        return 0;
    }
}
