package dev.vfiokit.iommucheck.check;

import dev.vfiokit.iommucheck.host.HostSnapshot;
import dev.vfiokit.iommucheck.host.PciAddress;
import dev.vfiokit.iommucheck.host.PciDevice;

import java.util.ArrayList;
import java.util.List;

/**
 * The locked memory a domain with VFIO devices needs, against the limit QEMU will run under. VFIO pins all guest RAM
 * (with a vIOMMU, once per device: each device has its own address space); with iommufd the devices' BARs are mapped
 * for peer-to-peer DMA and count too (KubeVirt's VFIO_MAP_DMA ENOMEM reports). libvirt sets RLIMIT_MEMLOCK itself:
 * {@code <memtune><hard_limit>} where given, else factor x RAM + 1 GiB (qemuDomainGetMemLockLimitBytes: factor 1, or
 * the number of VFIO devices with a vIOMMU), the 1 GiB meant for MMIO, which a big BAR through iommufd overruns.
 *
 * @param ramKib       the domain's memory
 * @param hardLimitKib its {@code <memtune><hard_limit>}, null when absent
 * @param viommu       the domain has an {@code <iommu>} device
 * @param devices      its VFIO devices, each with whether it goes through iommufd
 */
public record MemlockBudget(long ramKib, Long hardLimitKib, boolean viommu, List<Passed> devices) {
    private static final long GIB_KIB = 1024L * 1024;

    /** One VFIO device of the domain. */
    public record Passed(PciAddress address, boolean iommufd) {
    }

    /** The verdict: what is needed, what the limit is, and the fix when the limit is short. */
    public record Verdict(long neededKib, long limitKib, boolean limitFromLibvirt, boolean enough, List<String> evidence, String fix) {
        /** The hard_limit that fits: what is needed, rounded up to a GiB (the fix writes it). */
        public long hardLimitKib() {
            return roundUpGib(neededKib);
        }
    }

    public MemlockBudget {
        devices = List.copyOf(devices);
    }

    public Verdict judge(HostSnapshot host) {
        List<String> ev = new ArrayList<>();
        int factor = devices.isEmpty() ? 0 : viommu ? devices.size() : 1;
        long bars = 0;
        for (Passed p : devices) {
            long b = host.device(p.address()).map(PciDevice::bars).orElse(List.of()).stream().mapToLong(x -> x.size()).sum();
            if (p.iommufd()) {
                bars += b / 1024;
                ev.add(p.address() + " through iommufd: its BARs (" + MemoryText.kib(b / 1024) + ") count");
            }
        }
        long needed = factor * ramKib + bars;
        ev.add(0, "guest RAM " + MemoryText.kib(ramKib) + (viommu && factor > 1 ? " x " + factor + " (a vIOMMU: pinned once per VFIO device)" : ""));
        long auto = devices.isEmpty() ? 0 : factor * ramKib + GIB_KIB;
        boolean fromLibvirt = hardLimitKib == null;
        long limit = fromLibvirt ? auto : hardLimitKib;
        ev.add(fromLibvirt ? "no <memtune><hard_limit>: libvirt sets RLIMIT_MEMLOCK to " + (factor > 1 ? factor + " x " : "") + "RAM + 1G = "
                + MemoryText.kib(auto) : "<memtune><hard_limit> " + MemoryText.kib(hardLimitKib) + ": libvirt locks no more than that");
        // 64 MiB of headroom for QEMU's own pinned pages (ROMs, emulated devices' rings)
        long want = needed + 64 * 1024;
        boolean enough = devices.isEmpty() || limit >= want;
        String fix = enough ? "" : "set <memtune><hard_limit unit='KiB'>" + roundUpGib(want) + "</hard_limit></memtune> (RAM"
                + (bars > 0 ? " + BARs through iommufd" : "") + (factor > 1 ? " per vIOMMU device" : "") + ", rounded up to a GiB); "
                + "the host must have that much memory it can lock";
        return new Verdict(want, limit, fromLibvirt, enough, ev, fix);
    }

    private static long roundUpGib(long kib) {
        return (kib + GIB_KIB - 1) / GIB_KIB * GIB_KIB;
    }

    /** Sizes as 64G / 512M / 300K. */
    static final class MemoryText {
        private MemoryText() {
        }

        static String kib(long kib) {
            if (kib % GIB_KIB == 0) {
                return kib / GIB_KIB + "G";
            }
            if (kib % 1024 == 0) {
                return kib / 1024 + "M";
            }
            return kib + "K";
        }
    }
}
