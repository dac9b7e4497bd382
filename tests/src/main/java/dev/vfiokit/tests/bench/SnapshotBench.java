package dev.vfiokit.tests.bench;

import dev.vfiokit.iommucheck.check.GroupAnalyzer;
import dev.vfiokit.iommucheck.check.GroupReport;
import dev.vfiokit.iommucheck.fixture.HostTree;
import dev.vfiokit.iommucheck.fixture.PciFunction;
import dev.vfiokit.iommucheck.host.HostRoot;
import dev.vfiokit.iommucheck.host.HostSnapshot;
import dev.vfiokit.iommucheck.host.HostSnapshotReader;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Benchmark: read a synthetic host of 4,112 PCI functions (8 GPUs with audio, 16 SR-IOV PFs with 255 VFs each)
 * into a snapshot and analyse its groups, beside {@code lspci -D -nnk} on the same tree, in the same run.
 * Prints numbers only. Usage: SnapshotBench [runs]
 */
public final class SnapshotBench {
    private SnapshotBench() {
    }

    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 15;
        Path root = Files.createTempDirectory("vfiokit-bench-host");
        try {
            long t0 = System.nanoTime();
            syntheticHost().writeTo(root);
            double writeMs = (System.nanoTime() - t0) / 1e6;
            HostRoot hostRoot = new HostRoot(root);

            long c0 = System.nanoTime();
            HostSnapshot first = new HostSnapshotReader(hostRoot).read("bench");
            List<GroupReport> firstGroups = new GroupAnalyzer(first).all();
            double coldMs = (System.nanoTime() - c0) / 1e6;

            double[] ours = new double[runs];
            int functions = 0;
            int groups = 0;
            for (int i = 0; i < runs; i++) {
                long s = System.nanoTime();
                HostSnapshot h = new HostSnapshotReader(hostRoot).read("bench");
                groups = new GroupAnalyzer(h).all().size();
                ours[i] = (System.nanoTime() - s) / 1e6;
                functions = h.devices().size();
            }
            // what the groups command reads: the groups-only snapshot
            double[] groupsOnly = new double[runs];
            for (int i = 0; i < runs; i++) {
                long s = System.nanoTime();
                new GroupAnalyzer(new HostSnapshotReader(hostRoot).readGroups("bench")).all();
                groupsOnly[i] = (System.nanoTime() - s) / 1e6;
            }
            double[] lspci = new double[runs];
            int lspciLines = 0;
            for (int i = 0; i < runs; i++) {
                long s = System.nanoTime();
                lspciLines = runLspci(root);
                lspci[i] = (System.nanoTime() - s) / 1e6;
            }
            double oursMedian = median(ours);
            double lspciMedian = median(lspci);
            System.out.printf("functions              %d (groups %d, lspci lines %d)%n", functions, groups, lspciLines);
            System.out.printf("tree write ms          %.1f%n", writeMs);
            System.out.printf("snapshot+groups cold   %.1f ms (first read in a fresh JVM; %d groups)%n", coldMs, firstGroups.size());
            System.out.printf("snapshot+groups median %.1f ms over %d runs (min %.1f)%n", oursMedian, runs, min(ours));
            System.out.printf("groups-only read+groups median %.1f ms (min %.1f): what `groups` reads%n", median(groupsOnly), min(groupsOnly));
            System.out.printf("lspci -D -nnk median   %.1f ms over %d runs (min %.1f)%n", lspciMedian, runs, min(lspci));
            System.out.printf("ratio vfiokit/lspci    %.2f (whole snapshot), %.2f (groups-only)%n", oursMedian / lspciMedian,
                    median(groupsOnly) / lspciMedian);
            Path launcher = Path.of("vfiokit").toAbsolutePath();
            if (Files.isExecutable(launcher)) {
                // whole process, as an admin runs it: the launcher (its JDK and cache) against lspci's process
                run(List.of(launcher.toString(), "groups", "--root", root.toString(), "--json"));
                // alternated with lspci, run for run: a noisy machine then slows both alike
                double[] whole = new double[runs];
                double[] peer = new double[runs];
                for (int i = 0; i < runs; i++) {
                    long s = System.nanoTime();
                    run(List.of(launcher.toString(), "groups", "--root", root.toString(), "--json"));
                    whole[i] = (System.nanoTime() - s) / 1e6;
                    s = System.nanoTime();
                    runLspci(root);
                    peer[i] = (System.nanoTime() - s) / 1e6;
                }
                System.out.printf("./vfiokit groups --root T --json, whole process, median %.0f ms (min %.0f)%n", median(whole), min(whole));
                System.out.printf("lspci alternated with it, median %.0f ms (min %.0f)%n", median(peer), min(peer));
                System.out.printf("ratio whole process vfiokit/lspci %.2f%n", median(whole) / median(peer));
            }
        } finally {
            try (Stream<Path> s = Files.walk(root)) {
                for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    static HostTree syntheticHost() {
        HostTree t = new HostTree().cpu("AuthenticAMD", "AMD EPYC 9654 96-Core Processor", "svm").topology(2, 96, 2, 2)
                .acpiTable("IVRS").iommuUnit("ivhd0").interruptRemapping(true);
        int group = 1;
        for (int g = 0; g < 8; g++) {
            String bus = String.format("%02x", 0x01 + g);
            t.pci(PciFunction.at("0000:" + bus + ":00.0").ids(0x10de, 0x2330).classCode(0x030200).driver("vfio-pci")
                    .group(group).numa(g / 4).rom().link("32.0 GT/s PCIe", 16, "32.0 GT/s PCIe", 16));
            t.pci(PciFunction.at("0000:" + bus + ":00.1").ids(0x10de, 0x22a3).classCode(0x040300).driver("vfio-pci")
                    .group(group++).numa(g / 4));
        }
        for (int p = 0; p < 16; p++) {
            String bus = String.format("%02x", 0x40 + p);
            t.pci(PciFunction.at("0000:" + bus + ":00.0").ids(0x15b3, 0x101d).classCode(0x020000).driver("mlx5_core")
                    .group(group++).numa(p / 8).netdev("ens" + p + "f0np0").link("16.0 GT/s PCIe", 16, "16.0 GT/s PCIe", 16)
                    .sriov(255, 255, 0x101e, "mlx5_core"));
        }
        return t;
    }

    private static void run(List<String> cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (p.waitFor() != 0) {
            throw new IllegalStateException(String.join(" ", cmd) + " failed: " + new String(out));
        }
    }

    private static int runLspci(Path root) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("lspci", "-D", "-nnk", "-A", "linux-sysfs", "-O", "sysfs.path=" + root.resolve("sys/bus/pci"))
                .redirectErrorStream(true).start();
        int lines = 0;
        for (byte b : p.getInputStream().readAllBytes()) {
            if (b == '\n') {
                lines++;
            }
        }
        if (p.waitFor() != 0) {
            throw new IllegalStateException("lspci failed with exit " + p.exitValue());
        }
        return lines;
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    private static double min(double[] v) {
        return Arrays.stream(v).min().orElse(0);
    }

}
