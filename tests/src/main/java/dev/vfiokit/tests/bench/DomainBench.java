package dev.vfiokit.tests.bench;

import dev.vfiokit.iommucheck.fixture.FixtureHosts;
import dev.vfiokit.iommucheck.host.HostRoot;
import dev.vfiokit.iommucheck.host.HostSnapshot;
import dev.vfiokit.iommucheck.host.HostSnapshotReader;
import dev.vfiokit.iommucheck.host.PciAddress;
import dev.vfiokit.libvirt.LibvirtConnection;
import dev.vfiokit.libvirt.TestDriverHostFile;
import dev.vfiokit.templates.DomainGenerator;
import dev.vfiokit.templates.DomainRequest;
import dev.vfiokit.templates.GeneratedDomain;
import dev.vfiokit.templates.Template;
import dev.vfiokit.templates.TemplateCatalogue;
import dev.vfiokit.templates.VfRequest;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Benchmark: generate, validate (libvirt's installed schema, compiled once in process) and define N domains (a multifunction GPU and a VF
 * each) against libvirt's test driver in one process; then a {@code virsh define --validate} loop over the same
 * N files, and {@code virt-install --print-xml --dry-run} for a sample, in the same run. Prints numbers.
 * Usage: DomainBench [count] [virt-install samples]
 */
public final class DomainBench {
    private DomainBench() {
    }

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        int samples = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        Path work = Files.createTempDirectory("vfiokit-domain-bench");
        FixtureHosts.epycServer().writeTo(work.resolve("host"));
        HostSnapshot host = new HostSnapshotReader(new HostRoot(work.resolve("host"))).read("demo");
        Path hostFile = TestDriverHostFile.write(host, work.resolve("test-host.xml")).toAbsolutePath();
        String uri = "test://" + hostFile;
        Template t = TemplateCatalogue.builtin().get("gpu-compute");
        DomainGenerator gen = new DomainGenerator(host, Map.of());

        long t0 = System.nanoTime();
        List<String> xmls = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            DomainRequest r = new DomainRequest("gpu-compute", "vm-" + i, "kvm", 8, "16GiB", null,
                    List.of(PciAddress.parse("41:00.0")), List.of(VfRequest.parse("ens1f0np0,vlan=" + (i % 4000))), List.of(),
                    false, null, false, Map.of());
            GeneratedDomain g = gen.generate(t, r);
            xmls.add(g.xml());
        }
        long t1 = System.nanoTime();
        // libvirt's schema, compiled once for the process (the first define would pay it otherwise)
        boolean inProcess = dev.vfiokit.libvirt.DomainSchema.installed().isPresent();
        long tSchema = System.nanoTime();
        try (LibvirtConnection c = LibvirtConnection.open(uri, false)) {
            for (String xml : xmls) {
                c.define(xml);
            }
            if (c.domains().size() != n) {
                throw new IllegalStateException("expected " + n + " domains");
            }
        }
        long t2 = System.nanoTime();
        Path xmlDir = Files.createDirectories(work.resolve("xml"));
        for (int i = 0; i < n; i++) {
            Files.writeString(xmlDir.resolve("vm-" + i + ".xml"), xmls.get(i));
        }
        boolean peers = !"0".equals(System.getenv("DOMAIN_BENCH_PEERS"));   // 0: vfiokit alone (for a profiler)
        long v0 = System.nanoTime();
        for (int i = 0; peers && i < n; i++) {
            run(List.of("virsh", "-q", "-c", uri, "define", xmlDir.resolve("vm-" + i + ".xml").toString(), "--validate"));
        }
        long v1 = System.nanoTime();
        double viMs = Double.NaN;
        if (peers && samples > 0 && onPath("virt-install")) {
            long s0 = System.nanoTime();
            for (int i = 0; i < samples; i++) {
                run(List.of("virt-install", "--connect", uri, "--print-xml", "--dry-run", "--name", "vi-" + i, "--memory", "16384",
                        "--vcpus", "8", "--osinfo", "detect=off,name=linux2022", "--disk", "none", "--import", "--graphics", "none",
                        "--hostdev", "pci_0000_41_00_0", "--hostdev", "pci_0000_41_00_1", "--network", "none"));
            }
            viMs = (System.nanoTime() - s0) / 1e6 / samples;
        }
        // defines from several threads over one connection: the concurrency the test driver takes
        String concurrency = concurrency(uri, xmls, "test driver");
        int threads = Integer.parseInt(System.getenv().getOrDefault("DOMAIN_BENCH_THREADS",
                String.valueOf(Runtime.getRuntime().availableProcessors())));
        double pipelined = pipeline(uri, gen, t, n, threads, "p-", "kvm", true);
        String real = System.getenv().getOrDefault("DOMAIN_BENCH_REAL", "qemu:///system");
        String realLine = real.isEmpty() ? null : realLibvirtd(real, host, t, n, xmlDir);
        double genMs = (t1 - t0) / 1e6;
        double schemaMs = (tSchema - t1) / 1e6;
        double defMs = (t2 - t1) / 1e6;
        double virshMs = (v1 - v0) / 1e6;
        System.out.printf("domains                          %d (gpu-compute, multifunction GPU + VF each)%n", n);
        System.out.printf("vfiokit generate                 %.0f ms (%.0f domains/s)%n", genMs, n / (genMs / 1000));
        System.out.printf("libvirt schema compiled once     %.0f ms (%s)%n", schemaMs, inProcess ? dev.vfiokit.libvirt.DomainSchema.INSTALLED
                : "not installed: libvirt validates at define");
        System.out.printf("vfiokit validate + define        %.0f ms (%.0f domains/s, schema included)%n", defMs, n / (defMs / 1000));
        System.out.printf("vfiokit generate+validate+define %.0f ms (%.0f domains/s)%n", genMs + defMs, n / ((genMs + defMs) / 1000));
        System.out.printf("virsh define --validate loop     %.0f ms (%.0f domains/s)%n", virshMs, n / (virshMs / 1000));
        System.out.printf("ratio virsh loop / vfiokit       %.1f%n", virshMs / (genMs + defMs));
        System.out.printf("vfiokit generate+validate+define %.0f ms (%.0f domains/s), %d threads, each generating and defining%n",
                pipelined, n / (pipelined / 1000), threads);
        System.out.printf("ratio virsh loop / vfiokit       %.1f (%d threads)%n", virshMs / pipelined, threads);
        System.out.print(concurrency);
        if (realLine != null) {
            System.out.print(realLine);
        }
        if (!Double.isNaN(viMs)) {
            System.out.printf("virt-install --print-xml         %.0f ms per domain (%.1f domains/s, %d samples)%n", viMs, 1000 / viMs, samples);
            System.out.printf("ratio virt-install / vfiokit     %.0f (per domain)%n", viMs / ((genMs + defMs) / n));
        }
    }

    /**
     * N domains generated and defined by {@code threads} threads over one new connection (each task both generates and
     * defines one domain), in ms; with {@code undefine}, off again after the clock stops (real libvirtd).
     */
    private static double pipeline(String uri, DomainGenerator gen, Template t, int n, int threads, String prefix, String type,
                                   boolean keep) throws Exception {
        try (LibvirtConnection c = LibvirtConnection.open(uri, false)) {
            java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(threads);
            long s0 = System.nanoTime();
            List<java.util.concurrent.Future<?>> fs = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                int k = i;
                fs.add(pool.submit(() -> {
                    DomainRequest r = new DomainRequest("gpu-compute", prefix + k, type, type.equals("kvm") ? 8 : 2,
                            type.equals("kvm") ? "16GiB" : "1GiB", null, List.of(PciAddress.parse("41:00.0")),
                            List.of(VfRequest.parse("ens1f0np0,vlan=" + (k % 4000))), List.of(), false, null, false, Map.of());
                    return c.define(gen.generate(t, r).xml());
                }));
            }
            for (var f : fs) {
                f.get();
            }
            double ms = (System.nanoTime() - s0) / 1e6;
            pool.shutdown();
            if (!keep) {
                for (int i = 0; i < n; i++) {
                    c.undefine(prefix + i);
                }
            }
            return ms;
        }
    }

    /** 1, 2 and 4 threads defining the same documents again (redefines) over one connection, domains/s each. */
    private static String concurrency(String uri, List<String> xmls, String what) throws Exception {
        StringBuilder out = new StringBuilder();
        try (LibvirtConnection c = LibvirtConnection.open(uri, false)) {
            for (int threads : new int[] {1, 2, 4}) {
                java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(threads);
                long s0 = System.nanoTime();
                List<java.util.concurrent.Future<?>> fs = new ArrayList<>();
                for (String xml : xmls) {
                    fs.add(pool.submit(() -> c.define(xml)));
                }
                for (var f : fs) {
                    f.get();
                }
                pool.shutdown();
                double ms = (System.nanoTime() - s0) / 1e6;
                out.append(String.format("%-33s%.0f ms (%.0f domains/s)%n", what + ", " + threads + " thread(s)", ms, xmls.size() / (ms / 1000)));
            }
        }
        return out.toString();
    }

    /**
     * The same on a real libvirtd (type qemu: the QEMU driver judges each define): vfiokit's generate + validate +
     * define of N domains beside a {@code virsh define --validate} loop there, then every bench domain undefined.
     */
    private static String realLibvirtd(String uri, HostSnapshot host, Template t, int n, Path xmlDir) throws Exception {
        LibvirtConnection c;
        try {
            c = LibvirtConnection.open(uri, false);
        } catch (RuntimeException e) {
            return "real libvirtd                    not reachable (" + uri + "): " + e.getMessage() + "\n";
        }
        String prefix = "bench-" + ProcessHandle.current().pid() + "-";
        DomainGenerator gen = new DomainGenerator(host, Map.of());
        StringBuilder out = new StringBuilder();
        try (c) {
            long s0 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                DomainRequest r = new DomainRequest("gpu-compute", prefix + i, "qemu", 2, "1GiB", null,
                        List.of(PciAddress.parse("41:00.0")), List.of(VfRequest.parse("ens1f0np0,vlan=" + (i % 4000))), List.of(),
                        false, null, false, Map.of());
                String xml = gen.generate(t, r).xml();
                c.define(xml);
                if (i == 0) {
                    Files.writeString(xmlDir.resolve("real-template.xml"), xml);
                }
            }
            double ours = (System.nanoTime() - s0) / 1e6;
            for (int i = 0; i < n; i++) {
                c.undefine(prefix + i);
            }
            java.util.Map<Integer, Double> byThreads = new java.util.TreeMap<>();
            for (int k : new int[] {2, 4}) {
                byThreads.put(k, pipeline(uri, gen, t, n, k, prefix + "t" + k + "-", "qemu", false));
            }
            String template = Files.readString(xmlDir.resolve("real-template.xml"));
            for (int i = 0; i < n; i++) {
                Files.writeString(xmlDir.resolve("real-" + i + ".xml"), template.replace(prefix + "0<", "v" + prefix + i + "<")
                        .replaceAll("<uuid>[^<]*</uuid>", "<uuid>" + java.util.UUID.nameUUIDFromBytes((prefix + i).getBytes()) + "</uuid>"));
            }
            long v0 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                run(List.of("virsh", "-q", "-c", uri, "define", xmlDir.resolve("real-" + i + ".xml").toString(), "--validate"));
            }
            double virsh = (System.nanoTime() - v0) / 1e6;
            for (int i = 0; i < n; i++) {
                c.undefine("v" + prefix + i);
            }
            out.append(String.format("real libvirtd %-19s %d domains, type qemu%n", uri, n));
            out.append(String.format("  vfiokit generate+validate+define %.0f ms (%.0f domains/s)%n", ours, n / (ours / 1000)));
            out.append(String.format("  virsh define --validate loop     %.0f ms (%.0f domains/s)%n", virsh, n / (virsh / 1000)));
            out.append(String.format("  ratio virsh loop / vfiokit       %.1f%n", virsh / ours));
            byThreads.forEach((k, ms) -> out.append(String.format("  vfiokit, %d threads              %.0f ms (%.0f domains/s, ratio %.1f)%n", k, ms,
                    n / (ms / 1000), virsh / ms)));
        }
        return out.toString();
    }

    private static boolean onPath(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (Files.isExecutable(Path.of(dir, tool))) {
                return true;
            }
        }
        return false;
    }

    private static void run(List<String> cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", cmd) + " failed: " + out);
        }
    }
}
