package dev.vfiokit.iommucheck.check;

import dev.vfiokit.iommucheck.host.HostSnapshot;
import dev.vfiokit.iommucheck.host.PciDevice;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Which driver holds the device now, and whether early binding hands it to vfio-pci at boot. A GPU driver
 * (nvidia, nouveau, amdgpu, i915) that gets the card first is the classic reason passthrough breaks.
 */
public final class HostDriverCheck implements Check {
    private static final Set<String> GPU_DRIVERS = Set.of("nvidia", "nouveau", "amdgpu", "radeon", "i915", "xe",
            "nvidiafb", "snd_hda_intel");

    @Override
    public List<Finding> run(HostSnapshot host, List<PciDevice> targets) {
        List<Finding> out = new ArrayList<>();
        for (PciDevice d : targets) {
            java.util.Optional<dev.vfiokit.iommucheck.host.MdevParent> parent = host.mdevParents().stream()
                    .filter(p -> d.address().equals(p.pciAddress())).findFirst();
            if (parent.isPresent() && !d.boundToVfio()) {
                out.addAll(mdevParent(host, d, parent.get()));
            } else if (!d.boundToVfio() && vendorVgpuVfs(host, d) > 0) {
                out.addAll(vendorVgpuGpu(d, vendorVgpuVfs(host, d)));
            } else {
                out.add(driver(host, d));
                out.add(earlyBinding(host, d));
            }
        }
        return out;
    }

    private static long vendorVgpuVfs(HostSnapshot host, PciDevice d) {
        return d.sriov() == null ? 0 : d.sriov().virtfns().stream().map(host::device).flatMap(java.util.Optional::stream)
                .filter(v -> v.vendorVgpu() != null).count();
    }

    /** A GPU whose VFs carry NVIDIA's vendor-specific VFIO vGPU stays on nvidia: rebinding it would end every vGPU. */
    private static List<Finding> vendorVgpuGpu(PciDevice d, long vfs) {
        String subject = d.address().toString();
        List<String> ev = List.of("driver: " + (d.driver() == null ? "none" : d.driver()), "VFs with vendor-specific vGPU: " + vfs);
        return List.of(new Finding("device.driver", Severity.PASS, subject, "serves vendor-specific VFIO vGPU on " + vfs
                        + " VFs: it stays on " + d.driver(), "give guests its VFs: " + FixCommand.of("vgpu", "list")
                        + "; binding the GPU to vfio-pci would end its vGPUs", ev),
                new Finding("device.early-binding", Severity.SKIP, subject,
                        "a vGPU GPU stays on its host driver at boot: no early binding", "", ev));
    }

    /**
     * A GPU whose host driver offers mdev types serves vGPU: guests get its mdevs, and binding it to vfio-pci (or
     * binding it at boot) would end every vGPU on it, so the advice is mdev's, not bind's.
     */
    private static List<Finding> mdevParent(HostSnapshot host, PciDevice d, dev.vfiokit.iommucheck.host.MdevParent p) {
        String subject = d.address().toString();
        long inUse = host.mdevs().stream().filter(m -> m.parent().equals(p.name())).count();
        List<String> ev = List.of("driver: " + (d.driver() == null ? "none" : d.driver()), "mdev types: " + p.types().size(),
                "mdevs in use: " + inUse);
        String msg = "held by " + (d.driver() == null ? "its host driver" : d.driver()) + ", which offers " + p.types().size()
                + " mdev (vGPU) types on it" + (inUse > 0 ? ", " + inUse + " in use" : "");
        return List.of(new Finding("device.driver", Severity.PASS, subject, msg, "give guests its mdevs: "
                        + FixCommand.of("mdev", "types", "--parent", subject) + "; binding the whole GPU to vfio-pci would end its vGPUs", ev),
                new Finding("device.early-binding", Severity.SKIP, subject,
                        "an mdev parent stays on its host driver at boot: no early binding", "", ev));
    }

    private static Finding driver(HostSnapshot host, PciDevice d) {
        String subject = d.address().toString();
        List<String> ev = List.of("driver: " + (d.driver() == null ? "none" : d.driver()),
                "driver_override: " + (d.driverOverride() == null ? "none" : d.driverOverride()));
        if (d.boundToVfio()) {
            return Finding.pass("device.driver", subject, "bound to vfio-pci", ev);
        }
        if (d.driver() == null) {
            return Finding.pass("device.driver", subject, "no driver holds it: free to bind to vfio-pci", ev);
        }
        if (GPU_DRIVERS.contains(d.driver())) {
            return new Finding("device.driver", Severity.WARN, subject, "held by the host driver " + d.driver(),
                    BindAdvice.of(host, d) + "; stop whatever uses the GPU first, and configure early binding so "
                            + d.driver() + " never takes it at boot", ev);
        }
        return Finding.pass("device.driver", subject, "held by " + d.driver()
                + "; libvirt (managed='yes') or vfiokit bind detaches it", ev);
    }

    private static Finding earlyBinding(HostSnapshot host, PciDevice d) {
        String subject = d.address().toString();
        String how = host.earlyBinding().configuredFor(d);
        List<String> ev = new ArrayList<>(host.earlyBinding().sources());
        if (ev.isEmpty()) {
            ev.add("no vfio-pci ids=, softdep or driverctl override found");
        }
        if (how != null) {
            boolean idBased = how.startsWith("vfio-pci ids=");
            if (idBased && host.gpus().stream().filter(g -> g.ids().equals(d.ids())).count() > 1) {
                return new Finding("device.early-binding", Severity.WARN, subject, "early binding by id " + d.ids()
                        + " also catches the other identical GPUs on this host",
                        "bind by address instead (driverctl-style override): " + BindAdvice.of(host, d, "--persist"), ev);
            }
            String hostDriver = hostDriverFor(d);
            if (idBased && hostDriver != null && !host.earlyBinding().softdepsBeforeVfio().contains(hostDriver)) {
                return new Finding("device.early-binding", Severity.WARN, subject, "vfio-pci ids= is set, but no softdep "
                        + "makes vfio-pci load before " + hostDriver, "add 'softdep " + hostDriver
                        + " pre: vfio-pci' to /etc/modprobe.d/vfio.conf and rebuild the initramfs (update-initramfs -u)", ev);
            }
            return Finding.pass("device.early-binding", subject, "early binding configured: " + how, ev);
        }
        if (!d.isGpu() && !d.isAudio()) {
            return new Finding("device.early-binding", Severity.SKIP, subject,
                    "no early binding; not needed for a non-display device (bound on demand)", "", ev);
        }
        return new Finding("device.early-binding", Severity.WARN, subject, "nothing binds it to vfio-pci at boot"
                + (d.boundToVfio() ? " (bound now, lost on reboot)" : ""),
                "by address, driverctl-compatible: " + BindAdvice.of(host, d, "--persist"), ev);
    }

    private static String hostDriverFor(PciDevice d) {
        if (!d.isGpu()) {
            return null;
        }
        return switch (d.vendorId()) {
            case 0x10de -> "nvidia";
            case 0x1002 -> "amdgpu";
            case 0x8086 -> "i915";
            default -> null;
        };
    }
}
