package dev.vfiokit.iommucheck.host;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Immutable facts about one host, read once. Every check, planner and generator works from a snapshot, so
 * the same code serves the local machine, a fixture tree, the demo host and (through libvirt) a remote host.
 * {@code facts} says which: a snapshot from libvirt node devices lacks the kernel's own facts (ACPI tables,
 * modules, interrupts, modprobe.d), and checks that need them say so instead of guessing. {@code storageInUse}:
 * PCI devices under a mounted filesystem or active swap, with what they back (empty through libvirt).
 * {@code fabricManagerMode}: NVIDIA Fabric Manager's FABRIC_MODE in /usr/share/nvidia/nvswitch/fabricmanager.cfg
 * (0 bare metal or full passthrough, 1 shared NVSwitch, 2 vGPU multitenancy), null where it is not installed.
 * {@code vfio}: the VFIO interfaces the kernel offers (legacy container, iommufd, device cdev); {@code variantDrivers}:
 * the vfio_pci: aliases of the running kernel's modules.alias.
 */
public record HostSnapshot(String source, FactSource facts, String kernelRelease, String cmdline, CpuInfo cpu, boolean kvmDevice,
                           Set<String> acpiTables, List<String> iommuUnits, InterruptRemapping interruptRemapping,
                           Map<String, KernelModule> modules, Set<String> availableModules,
                           EarlyBinding earlyBinding, List<NumaNode> numaNodes, List<CpuThread> cpuThreads,
                           List<PciDevice> devices, List<IommuGroup> groups, List<MdevParent> mdevParents,
                           List<MediatedDevice> mdevs, List<String> framebuffers, String defaultRouteInterface,
                           Map<PciAddress, String> storageInUse, DeviceNodeUsers deviceUsers,
                           MigInstances mig, Integer fabricManagerMode, VfioInterfaces vfio, VariantDrivers variantDrivers) {

    public HostSnapshot {
        acpiTables = Set.copyOf(acpiTables);
        iommuUnits = List.copyOf(iommuUnits);
        modules = Map.copyOf(modules);
        availableModules = Set.copyOf(availableModules);
        numaNodes = List.copyOf(numaNodes);
        cpuThreads = List.copyOf(cpuThreads);
        devices = List.copyOf(devices);
        groups = List.copyOf(groups);
        mdevParents = List.copyOf(mdevParents);
        mdevs = List.copyOf(mdevs);
        framebuffers = List.copyOf(framebuffers);
        storageInUse = Map.copyOf(storageInUse);
        vfio = vfio == null ? VfioInterfaces.UNKNOWN : vfio;
        variantDrivers = variantDrivers == null ? VariantDrivers.NONE : variantDrivers;
    }

    /** This snapshot with a VF made a vendor vGPU of {@code type} (what the host reads after vfiokit wrote it). */
    public HostSnapshot withVendorVgpu(PciAddress vf, int type) {
        List<PciDevice> changed = devices.stream().map(d -> d.address().equals(vf) && d.vendorVgpu() != null
                ? d.withVendorVgpu(new VendorVgpu(type, List.of())) : d).toList();
        return new HostSnapshot(source, facts, kernelRelease, cmdline, cpu, kvmDevice, acpiTables, iommuUnits, interruptRemapping,
                modules, availableModules, earlyBinding, numaNodes, cpuThreads, changed, groups, mdevParents, mdevs, framebuffers,
                defaultRouteInterface, storageInUse, deviceUsers, mig, fabricManagerMode, vfio, variantDrivers);
    }

    /** The NVSwitches of an HGX board (empty on other hosts). */
    public List<PciDevice> nvswitches() {
        return devices.stream().filter(PciDevice::isNvswitch).toList();
    }

    /** The MIG GPU instances of an NVIDIA GPU; empty when the host does not show that GPU's driver state. */
    public Optional<List<String>> migInstances(PciDevice gpu) {
        return mig.of(gpu);
    }

    /** The host processes holding this device's nodes open (pid, command, node); empty when none or unknown. */
    public List<String> usersOf(PciAddress address) {
        return deviceUsers.of(address);
    }

    public Optional<PciDevice> device(PciAddress address) {
        return devices.stream().filter(d -> d.address().equals(address)).findFirst();
    }

    /** Devices by address, for callers that look up many (build once, reuse). */
    public Map<PciAddress, PciDevice> devicesByAddress() {
        return devices.stream().collect(Collectors.toMap(PciDevice::address, Function.identity()));
    }

    public Optional<IommuGroup> group(int id) {
        return groups.stream().filter(g -> g.id() == id).findFirst();
    }

    /** The devices of a group, in address order; devices the snapshot lacks are left out. */
    public List<PciDevice> members(IommuGroup group) {
        return members(group, devicesByAddress());
    }

    public static List<PciDevice> members(IommuGroup group, Map<PciAddress, PciDevice> byAddress) {
        return group.members().stream().map(byAddress::get).filter(d -> d != null).toList();
    }

    /**
     * The other functions of the same physical device (same domain, bus and slot). SR-IOV VFs are not functions of
     * the device even where they share its slot (an L40S's VFs are BDF.4 to .7): they are devices of their own.
     */
    public List<PciDevice> siblings(PciDevice device) {
        if (device.isVirtualFunction()) {
            return List.of();
        }
        return devices.stream()
                .filter(d -> d.address().sameSlot(device.address()) && !d.address().equals(device.address()) && !d.isVirtualFunction())
                .toList();
    }

    public java.util.Optional<MdevParent> mdevParent(String name) {
        return mdevParents.stream().filter(p -> p.name().equals(name)).findFirst();
    }

    public List<PciDevice> gpus() {
        return devices.stream().filter(PciDevice::isGpu).toList();
    }

    public Optional<NumaNode> numaNode(int id) {
        return numaNodes.stream().filter(n -> n.id() == id).findFirst();
    }

    /** The host's memory in KiB, its nodes' together; 0 where any node's is not known. */
    public long memoryKib() {
        long sum = 0;
        for (NumaNode n : numaNodes) {
            if (n.memoryKib() <= 0) {
                return 0;
            }
            sum += n.memoryKib();
        }
        return sum;
    }

    /** A module loaded or built in; names compare with '-' and '_' alike, as modprobe does. */
    public boolean moduleLoaded(String name) {
        return modules.containsKey(KernelModuleNames.normalize(name));
    }

    public boolean moduleAvailable(String name) {
        return moduleLoaded(name) || availableModules.contains(KernelModuleNames.normalize(name));
    }

    public boolean iommuActive() {
        return !groups.isEmpty() || !iommuUnits.isEmpty();
    }

    /** The PCI device behind the default route's interface, if any. */
    public Optional<PciDevice> defaultRouteDevice() {
        if (defaultRouteInterface == null) {
            return Optional.empty();
        }
        return devices.stream().filter(d -> d.netdevs().contains(defaultRouteInterface)).findFirst();
    }

    /** The PCI function behind a network interface name, refused by name when the host has none. */
    public PciDevice deviceByNetdev(String netdev) {
        return devices.stream().filter(d -> d.netdevs().contains(netdev)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no network interface '" + netdev + "' on host " + source));
    }
}
