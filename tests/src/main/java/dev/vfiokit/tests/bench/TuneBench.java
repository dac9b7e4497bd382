package dev.vfiokit.tests.bench;

import dev.vfiokit.iommucheck.fixture.FixtureHosts;
import dev.vfiokit.iommucheck.host.HostRoot;
import dev.vfiokit.iommucheck.host.HostSnapshot;
import dev.vfiokit.iommucheck.host.HostSnapshotReader;
import dev.vfiokit.libvirt.LibvirtConnection;
import dev.vfiokit.tuning.RuleCatalogue;
import dev.vfiokit.tuning.Tuner;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Benchmark: the QEMU process a real libvirtd starts for virt-install's default Linux guest, untuned vs tuned
 * with compute-headless (same memory and vCPUs; TCG, no disk, no network), in the same run: start latency,
 * resident memory, CPU time over an idle window. Then the time to tune 1,000 domains in one process.
 * Usage: TuneBench [idle window seconds] [repetitions] [domains to tune]
 */
public final class TuneBench {
    private TuneBench() {
    }

    record Sample(double startMs, long rssKib, double cpuMsPerSecond) {
    }

    public static void main(String[] args) throws Exception {
        int window = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        int reps = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        int n = args.length > 2 ? Integer.parseInt(args[2]) : 1000;
        String peer = virtInstall("bench-peer").replace("<domain type=\"kvm\">", "<domain type=\"qemu\">")
                .replaceAll("(?s)<interface type=\"network\">.*?</interface>", "")
                // TCG cannot pass the host CPU through: both variants get QEMU's 'maximum' model
                .replace("<cpu mode=\"host-passthrough\"/>", "<cpu mode=\"maximum\"/>");
        HostSnapshot local = new HostSnapshotReader(HostRoot.local()).read("local");
        Tuner tuner = new Tuner(RuleCatalogue.builtin());
        String tuned = tuner.tune(peer, "compute-headless", local).tunedXml();
        List<Sample> untunedSamples = new ArrayList<>();
        List<Sample> tunedSamples = new ArrayList<>();
        try (LibvirtConnection c = LibvirtConnection.open("qemu:///system", false)) {
            for (int i = 0; i < reps; i++) {
                untunedSamples.add(measure(c, peer.replace("bench-peer", "bench-untuned"), "bench-untuned", window));
                tunedSamples.add(measure(c, tuned.replace("bench-peer", "bench-tuned"), "bench-tuned", window));
            }
        }
        report("untuned (virt-install default)", untunedSamples);
        report("tuned (compute-headless)", tunedSamples);
        System.out.printf("ratio tuned/untuned            start %.2f, RSS %.2f, idle CPU %.2f%n",
                median(tunedSamples, 0) / median(untunedSamples, 0), median(tunedSamples, 1) / median(untunedSamples, 1),
                median(tunedSamples, 2) / median(untunedSamples, 2));

        Path demoRoot = Files.createTempDirectory("vfiokit-tune-bench");
        FixtureHosts.epycServer().writeTo(demoRoot);
        HostSnapshot demo = new HostSnapshotReader(new HostRoot(demoRoot)).read("demo");
        String gpuPeer = virtInstall("bench-gpu").replace("</devices>", "<hostdev mode='subsystem' type='pci' managed='yes'>"
                + "<source><address domain='0x0000' bus='0x41' slot='0x00' function='0x0'/></source></hostdev></devices>");
        for (int i = 0; i < 50; i++) {
            tuner.tune(gpuPeer, "compute-headless", demo); // warm-up
        }
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            tuner.tune(gpuPeer.replace("bench-gpu", "vm-" + i), "compute-headless", demo);
        }
        double ms = (System.nanoTime() - t0) / 1e6;
        System.out.printf("tune %d domains (compute-headless, GPU peer, demo host)  %.0f ms (%.2f ms/domain, %.0f domains/s)%n",
                n, ms, ms / n, n / (ms / 1000));
    }

    private static Sample measure(LibvirtConnection c, String xml, String name, int window) throws Exception {
        c.define(xml);
        try {
            long s = System.nanoTime();
            c.start(name);
            double startMs = (System.nanoTime() - s) / 1e6;
            String pid = Files.readString(Path.of("/run/libvirt/qemu/" + name + ".pid")).strip();
            Thread.sleep(2000); // let firmware settle
            long cpu0 = cpuTicks(pid);
            Thread.sleep(window * 1000L);
            long cpu1 = cpuTicks(pid);
            long rss = rssKib(pid);
            double hz = 100.0; // USER_HZ on Linux
            return new Sample(startMs, rss, (cpu1 - cpu0) / hz * 1000 / window);
        } finally {
            if (c.domains().stream().anyMatch(d -> d.name().equals(name) && d.running())) {
                c.stop(name, true);
            }
            c.undefine(name);
        }
    }

    private static long cpuTicks(String pid) throws Exception {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime + stime
    }

    private static long rssKib(String pid) throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("\\D", ""));
            }
        }
        return -1;
    }

    private static double median(List<Sample> s, int field) {
        double[] v = s.stream().mapToDouble(x -> field == 0 ? x.startMs() : field == 1 ? x.rssKib() : x.cpuMsPerSecond()).toArray();
        Arrays.sort(v);
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    private static void report(String label, List<Sample> s) {
        System.out.printf("%-30s start %.0f ms, RSS %.0f MiB, idle CPU %.0f ms/s (median of %d)%n", label, median(s, 0),
                median(s, 1) / 1024, median(s, 2), s.size());
    }

    private static String virtInstall(String name) throws Exception {
        Process p = new ProcessBuilder("virt-install", "--print-xml", "--dry-run", "--connect", "qemu:///system", "--name", name,
                "--memory", "1024", "--vcpus", "2", "--osinfo", "debian11", "--disk", "none", "--import", "--network",
                "network=default").start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException("virt-install failed: " + new String(p.getErrorStream().readAllBytes()));
        }
        return out;
    }
}
