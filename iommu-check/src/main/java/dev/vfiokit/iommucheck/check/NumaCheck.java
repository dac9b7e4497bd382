package dev.vfiokit.iommucheck.check;

import dev.vfiokit.iommucheck.host.CpuList;
import dev.vfiokit.iommucheck.host.Hugepages;
import dev.vfiokit.iommucheck.host.HostSnapshot;
import dev.vfiokit.iommucheck.host.NumaNode;
import dev.vfiokit.iommucheck.host.PciDevice;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * NUMA placement of each target and free hugepages on its node: a guest whose memory sits on the other
 * socket pays for every DMA, and hugepages that are not free on the node fail the start with ENOMEM.
 */
public final class NumaCheck implements Check {
    @Override
    public List<Finding> run(HostSnapshot host, List<PciDevice> targets) {
        List<Finding> out = new ArrayList<>();
        if (targets.isEmpty()) {
            out.add(hugepages(host, "host", host.numaNodes()));
            return out;
        }
        for (PciDevice d : targets) {
            out.add(numa(host, d));
            Optional<NumaNode> node = host.numaNode(d.numaNode());
            out.add(hugepages(host, d.address().toString(), node.map(List::of).orElse(host.numaNodes())));
        }
        return out;
    }

    private static Finding numa(HostSnapshot host, PciDevice d) {
        String subject = d.address().toString();
        List<String> ev = new ArrayList<>();
        ev.add("numa_node=" + d.numaNode());
        host.numaNodes().forEach(n -> ev.add("node" + n.id() + " CPUs " + CpuList.format(n.cpus())));
        if (host.numaNodes().size() <= 1) {
            return Finding.pass("device.numa", subject, "single NUMA node host", ev);
        }
        Optional<NumaNode> node = host.numaNode(d.numaNode());
        if (node.isEmpty()) {
            return new Finding("device.numa", Severity.WARN, subject, "firmware reports no NUMA node for it on a "
                    + host.numaNodes().size() + "-node host", "enable NUMA reporting in firmware (e.g. ACPI SRAT / "
                    + "'PCIe device locality'); pin the guest by hand meanwhile", ev);
        }
        return Finding.pass("device.numa", subject, "on NUMA node " + d.numaNode() + " (CPUs "
                + CpuList.format(node.get().cpus()) + "): pin its guest there", ev);
    }

    private static Finding hugepages(HostSnapshot host, String subject, List<NumaNode> nodes) {
        List<String> ev = new ArrayList<>();
        long freeBytes = 0;
        for (NumaNode n : nodes) {
            for (Hugepages h : n.hugepages()) {
                ev.add("node" + n.id() + " " + h.sizeLabel() + ": " + h.free() + " free of " + h.total());
                freeBytes += h.freeBytes();
            }
        }
        String where = nodes.size() == 1 && host.numaNodes().size() > 1 ? " on node " + nodes.get(0).id() : "";
        if (freeBytes > 0) {
            return Finding.pass("memory.hugepages", subject, (freeBytes >> 30) + " GiB of hugepages free" + where, ev);
        }
        String nodePath = nodes.size() == 1 ? "node" + nodes.get(0).id() : "nodeN";
        return new Finding("memory.hugepages", Severity.WARN, subject, "no free hugepages" + where
                + ": guests get 4K pages (slower DMA mapping, TLB pressure)",
                "reserve 1G pages at boot (default_hugepagesz=1G hugepagesz=1G hugepages=N) or at run time: echo N > "
                        + "/sys/devices/system/node/" + nodePath + "/hugepages/hugepages-1048576kB/nr_hugepages", ev);
    }
}
