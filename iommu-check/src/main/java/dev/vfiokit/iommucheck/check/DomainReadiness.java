package dev.vfiokit.iommucheck.check;

import dev.vfiokit.iommucheck.host.HostSnapshot;
import dev.vfiokit.iommucheck.host.LibvirtVersion;
import dev.vfiokit.iommucheck.host.PciAddress;
import dev.vfiokit.iommucheck.host.PciDevice;
import dev.vfiokit.iommucheck.input.DomainXmlFacts;
import org.w3c.dom.Element;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * What a domain's VFIO devices need from its host: the locked memory ({@code domain.memlock}, see
 * {@link MemlockBudget}) and what would block a live migration ({@code domain.migration}): a device whose driver has
 * no VFIO migration support, QEMU older than 8.1 (VFIO migration experimental before), a vIOMMU in front of VFIO
 * devices, several devices (P2P), vGPUs (the same vGPU manager on both ends, which one host cannot see).
 */
public final class DomainReadiness {
    /**
     * VFIO drivers that implement migration (the migration_set_state ops of drivers/vfio/pci/: mlx5, hisilicon, pds,
     * virtio (virtio-net VFs with the admin queue), qat and xe); vfio-pci and nvgrace-gpu have none.
     */
    static final Set<String> MIGRATION_DRIVERS = Set.of("mlx5_vfio_pci", "hisi_acc_vfio_pci", "pds_vfio_pci", "virtio_vfio_pci",
            "qat_vfio_pci", "xe_vfio_pci");
    private static final LibvirtVersion QEMU_VFIO_MIGRATION = new LibvirtVersion(8, 1, 0);

    /** The versions on the domain's host, each null where the caller did not reach its libvirt. */
    public record Versions(LibvirtVersion libvirt, LibvirtVersion qemu) {
        public static final Versions UNKNOWN = new Versions(null, null);
    }

    public List<Finding> check(HostSnapshot host, Element domain, String name, Versions versions) {
        List<PciAddress> passed = DomainXmlFacts.passedPciAddresses(domain);
        boolean viommu = DomainXmlFacts.child(DomainXmlFacts.child(domain, "devices"), "iommu") != null;
        return List.of(memlock(host, domain, name, passed, viommu), migration(host, domain, name, passed, viommu, versions));
    }

    private static Finding memlock(HostSnapshot host, Element domain, String name, List<PciAddress> passed, boolean viommu) {
        if (passed.isEmpty()) {
            return new Finding("domain.memlock", Severity.SKIP, name, "no VFIO PCI devices: guest memory is not pinned", "", List.of());
        }
        List<MemlockBudget.Passed> devices = new ArrayList<>();
        for (Element d : DomainXmlFacts.devices(domain)) {
            PciAddress a = DomainXmlFacts.sourceAddress(d);
            if (a != null) {
                Element driver = DomainXmlFacts.child(d, "driver");
                devices.add(new MemlockBudget.Passed(a, driver != null && "yes".equals(driver.getAttribute("iommufd"))));
            }
        }
        Element memtune = DomainXmlFacts.child(domain, "memtune");
        Element hard = DomainXmlFacts.child(memtune, "hard_limit");
        MemlockBudget.Verdict v = new MemlockBudget(DomainXmlFacts.kib(DomainXmlFacts.child(domain, "memory")), hard == null ? null : DomainXmlFacts.kib(hard), viommu, devices)
                .judge(host);
        String needs = "needs " + MemlockBudget.MemoryText.kib(v.neededKib()) + " of locked memory; ";
        long ram = DomainXmlFacts.kib(DomainXmlFacts.child(domain, "memory"));
        if (host.memoryKib() > 0 && ram > host.memoryKib()) {
            // every page of a VFIO guest is pinned in host RAM: no limit makes a guest larger than the RAM start
            return new Finding("domain.memlock", Severity.FAIL, name, "its memory (" + MemlockBudget.MemoryText.kib(ram)
                    + ") is more than the host's RAM (" + MemlockBudget.MemoryText.kib(host.memoryKib())
                    + "): a guest with VFIO devices has all its memory pinned, so it could never start",
                    "set <memory> and <currentMemory> below the host's " + MemlockBudget.MemoryText.kib(host.memoryKib())
                    + ", leaving the host what it runs on, or pass the devices to a guest on a host with more RAM",
                    List.of("host MemTotal " + host.memoryKib() + " kB ("
                            + (host.facts() == dev.vfiokit.iommucheck.host.FactSource.LIBVIRT ? "libvirt's capabilities cells" : "meminfo") + ")"));
        }
        if (v.enough()) {
            return Finding.pass("domain.memlock", name, needs + "the limit is " + MemlockBudget.MemoryText.kib(v.limitKib())
                    + (v.limitFromLibvirt() ? " (libvirt's own)" : " (its hard_limit)"), v.evidence());
        }
        return new Finding("domain.memlock", Severity.FAIL, name, needs + "QEMU would run with " + MemlockBudget.MemoryText.kib(v.limitKib())
                + ": VFIO_MAP_DMA fails with ENOMEM at start or when the guest maps memory", v.fix(), v.evidence());
    }

    private static Finding migration(HostSnapshot host, Element domain, String name, List<PciAddress> passed, boolean viommu,
                                     Versions versions) {
        List<String> blockers = new ArrayList<>();
        List<String> caveats = new ArrayList<>();
        List<String> ev = new ArrayList<>();
        ev.add("QEMU " + (versions.qemu() == null ? "version unknown (not read through libvirt)" : versions.qemu().toString()));
        ev.add("libvirt " + (versions.libvirt() == null ? "version unknown" : versions.libvirt().toString()));
        int migratable = 0;
        java.util.Map<String, List<String>> unmigratable = new java.util.TreeMap<>();
        for (PciAddress a : passed) {
            PciDevice d = host.device(a).orElse(null);
            if (d == null) {
                blockers.add(a + " is not on this host");
                continue;
            }
            if (d.vendorVgpu() != null) {
                caveats.add(a + " is an NVIDIA vGPU: it migrates only between hosts with the same vGPU manager version and "
                        + "migration enabled in it (nvidia-smi vgpu), which this host alone cannot show");
                migratable++;
                continue;
            }
            String driver = d.boundToVfio() ? d.driver() : host.variantDrivers().driverFor(d.modalias()).driverName();
            ev.add(a + ": " + driver + (d.boundToVfio() ? " (bound)" : " (what it would be bound to)"));
            if (MIGRATION_DRIVERS.contains(driver)) {
                migratable++;
            } else {
                unmigratable.computeIfAbsent(driver, k -> new ArrayList<>()).add(a.toString());
            }
        }
        unmigratable.forEach((driver, addrs) -> blockers.add(String.join(", ", addrs) + (addrs.size() > 1 ? " go to " : " goes to ")
                + driver + ", which has no VFIO migration support (only variant drivers that implement it do: "
                + String.join(", ", MIGRATION_DRIVERS.stream().sorted().toList()) + ")"));
        for (String uuid : DomainXmlFacts.mdevUuids(domain)) {
            caveats.add("mdev " + uuid + ": a vGPU migrates only between hosts with the same vGPU manager version (vendor's)");
        }
        if (passed.isEmpty() && caveats.isEmpty()) {
            return Finding.pass("domain.migration", name, "no VFIO devices: VFIO does not stand in the way of a live migration", ev);
        }
        if (versions.qemu() != null && !versions.qemu().atLeast(QEMU_VFIO_MIGRATION)) {
            blockers.add("QEMU " + versions.qemu() + ": VFIO migration is experimental before 8.1 (QEMU blocks it by default)");
        }
        if (viommu) {
            blockers.add("a vIOMMU (<iommu>) in front of VFIO devices: QEMU blocks their migration unless the device tracks its "
                    + "own dirty pages (device dirty tracking), which vfiokit cannot see");
        }
        if (migratable > 1) {
            caveats.add(migratable + " devices migrate together: each must support the P2P states (VFIO_MIGRATION_P2P), which "
                    + "only its driver reports, at migration time");
        }
        ev.addAll(caveats);
        if (!blockers.isEmpty()) {
            return new Finding("domain.migration", Severity.FAIL, name, "a live migration would be refused: " + String.join("; ", blockers),
                    "pass such devices only to guests that are shut down to move, or use a device whose variant driver "
                            + "migrates (check --device ADDR names the driver a device gets)", ev);
        }
        if (!caveats.isEmpty()) {
            return new Finding("domain.migration", Severity.WARN, name, "may migrate; not visible from here: " + String.join("; ", caveats),
                    "check the destination host too (vfiokit check there) before virsh migrate --live", ev);
        }
        return Finding.pass("domain.migration", name, "its VFIO devices' drivers support migration", ev);
    }
}
