package dev.vfiokit.vfio;

import dev.vfiokit.iommucheck.host.HostSnapshot;
import dev.vfiokit.iommucheck.host.PciAddress;
import dev.vfiokit.iommucheck.host.PciDevice;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Plans SR-IOV changes on a PF (by address or netdev name): enabling VFs (0 first when others are enabled:
 * the kernel answers EBUSY otherwise; within sriov_totalvfs: ERANGE otherwise; only with a PF driver: ENOENT
 * otherwise), disabling them, and VF MAC/VLAN/trust/spoof-check through {@code ip link}.
 */
public final class SriovPlanner {
    private final HostSnapshot host;

    public SriovPlanner(HostSnapshot host) {
        host.facts().requireWhole("SR-IOV planning");
        this.host = host;
    }

    public PciDevice pf(String pfOrNetdev) {
        PciDevice d;
        if (PciAddress.looksLike(pfOrNetdev)) {
            PciAddress a = PciAddress.parse(pfOrNetdev);
            d = host.device(a).orElseThrow(() -> new IllegalArgumentException("no PCI device " + a + " on host " + host.source()));
        } else {
            d = host.deviceByNetdev(pfOrNetdev);
        }
        if (!d.isSriovPhysicalFunction()) {
            throw VfioFailure.refused(d.address() + " is not an SR-IOV physical function (no sriov_totalvfs)");
        }
        return d;
    }

    /**
     * @param autoprobe let host drivers probe the new VFs (false: they come up unbound, ready for vfio-pci;
     *                  NVMe VFs, for one, fail to probe on the host)
     */
    public Operation create(String pfOrNetdev, int count, boolean autoprobe, boolean force) {
        PciDevice pf = pf(pfOrNetdev);
        String base = "/sys/bus/pci/devices/" + pf.address() + "/";
        if (count < 1) {
            throw new IllegalArgumentException("--count must be at least 1 (vf remove disables VFs)");
        }
        if (pf.driver() == null) {
            throw VfioFailure.refused(pf.address() + " has no driver: the kernel cannot create VFs on it (ENOENT); load its driver first");
        }
        if (count > pf.sriov().totalVfs()) {
            throw VfioFailure.refused(pf.address() + " supports " + pf.sriov().totalVfs() + " VFs (sriov_totalvfs); " + count
                    + " would be refused by the kernel (ERANGE)");
        }
        List<Step> steps = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        List<String> mig = host.migInstances(pf).orElse(List.of());
        if (!mig.isEmpty() && pf.sriov().numVfs() == 0) {
            // NVIDIA: SR-IOV first, then MIG, then vGPU; turning SR-IOV on resets the GPU's MIG configuration
            String what = "enabling SR-IOV on " + pf.address() + " wipes its MIG configuration (GPU instances " + String.join(", ", mig) + ")";
            if (!force) {
                throw VfioFailure.refused("refused: " + what + "; for MIG-backed vGPU enable SR-IOV first, then create the MIG "
                        + "instances, then the vGPUs (--force overrides)");
            }
            notes.add(what + ": create them again after the VFs");
        }
        int now = pf.sriov().numVfs();
        if (now == count) {
            notes.add(pf.address() + " has " + count + " VFs already");
        } else {
            if (now > 0) {
                refuseVfsInUse(pf, force);
                steps.add(Step.write(base + "sriov_numvfs", "0", new Expect.ValueIs(base + "sriov_numvfs", "0"),
                        "disable the " + now + " VFs first (the kernel answers EBUSY to a new count while VFs exist)"));
            }
            String ap = autoprobe ? "1" : "0";
            if (pf.sriov().driversAutoprobe() == null || pf.sriov().driversAutoprobe() != autoprobe) {
                steps.add(Step.write(base + "sriov_drivers_autoprobe", ap, new Expect.ValueIs(base + "sriov_drivers_autoprobe", ap),
                        autoprobe ? "host drivers probe the new VFs" : "new VFs stay unbound, ready for vfio-pci"));
            }
            steps.add(Step.write(base + "sriov_numvfs", String.valueOf(count), new Expect.ValueIs(base + "sriov_numvfs", String.valueOf(count)),
                    "enable " + count + " VFs"));
        }
        vfVariantNote(pf, autoprobe).ifPresent(notes::add);
        Integer apBefore = pf.sriov().driversAutoprobe() == null ? null : (pf.sriov().driversAutoprobe() ? 1 : 0);
        return new Operation(Operation.Kind.VF_CREATE, "create " + count + " VFs on " + pf.address() + netdevs(pf), steps, List.of(), List.of(),
                List.of(new SriovState(pf.address().toString(), now, apBefore)), List.of(), notes);
    }

    /**
     * Where the kernel has a VFIO variant driver for the PF's VFs (pds_vfio_pci for AMD Pensando, mlx5_vfio_pci for
     * ConnectX), the order that works: autoprobe off, create the VFs, then override each to the variant (vfiokit bind).
     */
    private java.util.Optional<String> vfVariantNote(PciDevice pf, boolean autoprobe) {
        if (pf.sriov().vfDeviceId() == null) {
            return java.util.Optional.empty();
        }
        String vfAlias = String.format("pci:v%08Xd%08Xsv%08Xsd%08Xbc%02Xsc%02Xi%02X", pf.vendorId(), pf.sriov().vfDeviceId(),
                pf.subsystemVendorId(), pf.subsystemDeviceId(), pf.baseClass(), pf.subClass(), pf.classCode() & 0xff);
        return host.variantDrivers().variantFor(vfAlias).map(c -> autoprobe
                ? "the VFs have the VFIO variant driver " + c.driverName() + " (modules.alias): with --autoprobe their host driver "
                        + "takes them first; without it they stay unbound, and vfiokit bind --device VF overrides them to " + c.driverName()
                : "the new VFs stay unbound (autoprobe 0); vfiokit bind --device VF then overrides each to its VFIO variant driver "
                        + c.driverName() + " (modules.alias), the order it needs: autoprobe off, VFs, override");
    }

    public Operation remove(String pfOrNetdev, boolean force) {
        PciDevice pf = pf(pfOrNetdev);
        String base = "/sys/bus/pci/devices/" + pf.address() + "/";
        List<Step> steps = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        if (pf.sriov().numVfs() == 0) {
            notes.add(pf.address() + " has no VFs enabled");
        } else {
            refuseVfsInUse(pf, force);
            steps.add(Step.write(base + "sriov_numvfs", "0", new Expect.ValueIs(base + "sriov_numvfs", "0"), "disable all VFs"));
        }
        Integer ap = pf.sriov().driversAutoprobe() == null ? null : (pf.sriov().driversAutoprobe() ? 1 : 0);
        return new Operation(Operation.Kind.VF_REMOVE, "remove the VFs of " + pf.address() + netdevs(pf), steps, List.of(), List.of(),
                List.of(new SriovState(pf.address().toString(), pf.sriov().numVfs(), ap)), List.of(), notes);
    }

    private void refuseVfsInUse(PciDevice pf, boolean force) {
        List<String> inUse = pf.sriov().virtfns().stream().map(host::device).flatMap(java.util.Optional::stream)
                .filter(PciDevice::boundToVfio).map(v -> v.address().toString()).toList();
        if (!inUse.isEmpty() && !force) {
            throw VfioFailure.refused("VFs " + String.join(", ", inUse) + " of " + pf.address()
                    + " are bound to vfio-pci (maybe in a guest); --force removes them anyway");
        }
    }

    private static String netdevs(PciDevice pf) {
        return pf.netdevs().isEmpty() ? "" : " (" + String.join(",", pf.netdevs()) + ")";
    }

    /** The {@code ip link set} command for a VF's MAC, VLAN, trust and spoof checking. */
    public List<String> ipLinkSet(String pfOrNetdev, int vf, String mac, Integer vlan, String trust, String spoofchk) {
        PciDevice pf = pf(pfOrNetdev);
        if (pf.netdevs().isEmpty()) {
            throw VfioFailure.refused(pf.address() + " has no network interface: MAC/VLAN/trust are set through a PF netdev");
        }
        if (vf < 0 || vf >= Math.max(pf.sriov().numVfs(), 1) || pf.sriov().numVfs() == 0) {
            throw VfioFailure.refused(pf.address() + " has VFs 0-" + (pf.sriov().numVfs() - 1) + " enabled; VF " + vf + " does not exist");
        }
        List<String> cmd = new ArrayList<>(List.of("ip", "link", "set", "dev", pf.netdevs().get(0), "vf", String.valueOf(vf)));
        if (mac != null) {
            if (!mac.matches("(?i)[0-9a-f]{2}(:[0-9a-f]{2}){5}") || (Integer.parseInt(mac.substring(0, 2), 16) & 1) == 1) {
                throw new IllegalArgumentException("not a unicast MAC address: '" + mac + "'");
            }
            cmd.addAll(List.of("mac", mac.toLowerCase()));
        }
        if (vlan != null) {
            if (vlan < 0 || vlan > 4095) {
                throw new IllegalArgumentException("VLAN id must be 0-4095, got " + vlan);
            }
            cmd.addAll(List.of("vlan", String.valueOf(vlan)));
        }
        for (String[] kv : new String[][] {{"trust", trust}, {"spoofchk", spoofchk}}) {
            if (kv[1] != null) {
                if (!kv[1].equals("on") && !kv[1].equals("off")) {
                    throw new IllegalArgumentException("--" + kv[0] + " must be on or off");
                }
                cmd.addAll(List.of(kv[0], kv[1]));
            }
        }
        if (cmd.size() == 7) {
            throw new IllegalArgumentException("nothing to set: give --mac, --vlan, --trust or --spoofchk");
        }
        return cmd;
    }

    /** Runs the ip link command (10 s timeout); its exit code and stderr become one line. */
    public static void run(HostCommands commands, List<String> ipLink) {
        commands.run(ipLink, Duration.ofSeconds(10));
    }
}
