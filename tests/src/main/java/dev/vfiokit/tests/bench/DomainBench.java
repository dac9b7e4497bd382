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
        long v0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            run(List.of("virsh", "-q", "-c", uri, "define", xmlDir.resolve("vm-" + i + ".xml").toString(), "--validate"));
        }
        long v1 = System.nanoTime();
        double viMs = Double.NaN;
        if (samples > 0 && onPath("virt-install")) {
            long s0 = System.nanoTime();
            for (int i = 0; i < samples; i++) {
                run(List.of("virt-install", "--connect", uri, "--print-xml", "--dry-run", "--name", "vi-" + i, "--memory", "16384",
                        "--vcpus", "8", "--osinfo", "detect=off,name=linux2022", "--disk", "none", "--import", "--graphics", "none",
                        "--hostdev", "pci_0000_41_00_0", "--hostdev", "pci_0000_41_00_1", "--network", "none"));
            }
            viMs = (System.nanoTime() - s0) / 1e6 / samples;
        }
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
        if (!Double.isNaN(viMs)) {
            System.out.printf("virt-install --print-xml         %.0f ms per domain (%.1f domains/s, %d samples)%n", viMs, 1000 / viMs, samples);
            System.out.printf("ratio virt-install / vfiokit     %.0f (per domain)%n", viMs / ((genMs + defMs) / n));
        }
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
