package dev.vfiokit.tests.bench;

import dev.vfiokit.libvirt.DomainSummary;
import dev.vfiokit.libvirt.LibvirtConnection;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Reading every domain definition of a remote host (qemu+ssh): vfiokit's one pass (LibvirtConnection.definitions:
 * one listing, XML calls pipelined on the connection) against a dumpxml a domain through the same connection (look
 * up by name, then the XML: what a script does, and what vfiokit did before). Prints milliseconds, medians of RUNS.
 * Usage: RemoteReadBench URI [runs]
 */
public final class RemoteReadBench {
    private RemoteReadBench() {
    }

    public static void main(String[] args) {
        String uri = args[0];
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        try (LibvirtConnection c = LibvirtConnection.open(uri, true)) {
            int n = c.domains().size();
            List<Long> onePass = new ArrayList<>();
            List<Long> perDomain = new ArrayList<>();
            for (int r = 0; r < runs + 1; r++) {
                long t0 = System.nanoTime();
                Map<String, String> defs = c.definitions();
                long t1 = System.nanoTime();
                int bytes = 0;
                for (DomainSummary d : c.domains()) {
                    bytes += c.dumpXml(d.name(), true).length();
                }
                long t2 = System.nanoTime();
                if (defs.size() != n || bytes == 0) {
                    throw new IllegalStateException("the two reads disagree");
                }
                if (r > 0) {   // the first round warms the JIT and the connection
                    onePass.add((t1 - t0) / 1_000_000);
                    perDomain.add((t2 - t1) / 1_000_000);
                }
            }
            long a = median(onePass);
            long b = median(perDomain);
            System.out.printf("domains %d%n", n);
            System.out.printf("one_pass_ms %d%n", a);
            System.out.printf("list_then_dumpxml_each_ms %d%n", b);
            System.out.printf("ratio %.1f%n", (double) b / Math.max(1, a));
        }
    }

    private static long median(List<Long> xs) {
        List<Long> s = new ArrayList<>(xs);
        s.sort(null);
        return s.get(s.size() / 2);
    }
}
