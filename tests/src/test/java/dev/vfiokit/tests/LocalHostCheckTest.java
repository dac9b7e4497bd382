package dev.vfiokit.tests;

import dev.vfiokit.iommucheck.check.PreflightCheck;
import dev.vfiokit.iommucheck.check.Report;
import dev.vfiokit.iommucheck.host.HostRoot;
import dev.vfiokit.iommucheck.host.HostSnapshot;
import dev.vfiokit.iommucheck.host.HostSnapshotReader;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** The reader and the check on the machine the tests run on: whatever it is, they must see it as the kernel does. */
class LocalHostCheckTest {
    private final HostSnapshot host = new HostSnapshotReader(HostRoot.local()).read("local");

    @Test
    void seesEveryPciFunctionAndGroupTheKernelLists() throws Exception {
        Path pci = Path.of("/sys/bus/pci/devices");
        long expected = Files.isDirectory(pci) ? count(pci) : 0;
        assertThat(host.devices()).hasSize((int) expected);
        Path groups = Path.of("/sys/kernel/iommu_groups");
        long kernelGroups = Files.isDirectory(groups) ? count(groups) : 0;
        // every group the kernel has holds PCI functions on these hosts; non-PCI groups would only add to the kernel's count
        assertThat((long) host.groups().size()).isLessThanOrEqualTo(kernelGroups);
        assertThat(host.groups().isEmpty()).isEqualTo(kernelGroups == 0);
    }

    @Test
    void readsTheCpuFlagsAndKernelAsProcShowsThem() throws Exception {
        String cpuinfo = Files.readString(Path.of("/proc/cpuinfo"));
        assertThat(host.cpu().hasVirtualization()).isEqualTo(cpuinfo.contains(" vmx") || cpuinfo.contains(" svm"));
        assertThat(host.kernelRelease()).isEqualTo(Files.readString(Path.of("/proc/sys/kernel/osrelease")).strip());
        assertThat(host.kvmDevice()).isEqualTo(Files.exists(Path.of("/dev/kvm")));
    }

    @Test
    void readsTheHostsMemoryAsItsNodesMeminfoOrProcMeminfoSaysIt() throws Exception {
        // what the kernel says, read here by a plain parse: the nodes' MemTotal summed, else /proc/meminfo's
        long expected = 0;
        Path nodes = Path.of("/sys/devices/system/node");
        try (Stream<Path> s = Files.isDirectory(nodes) ? Files.list(nodes) : Stream.empty()) {
            for (Path n : s.filter(p -> p.getFileName().toString().matches("node\\d+")).toList()) {
                expected += memTotal(Files.readString(n.resolve("meminfo")));
            }
        }
        if (expected == 0) {
            expected = memTotal(Files.readString(Path.of("/proc/meminfo")));
        }
        assertThat(expected).isPositive();
        assertThat(host.memoryKib()).isEqualTo(expected);
    }

    private static long memTotal(String meminfo) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("MemTotal:\\s+(\\d+) kB").matcher(meminfo);
        return m.find() ? Long.parseLong(m.group(1)) : 0;
    }

    @Test
    void theCheckRunsAndItsVerdictOnTheIommuMatchesTheKernel() {
        Report r = new PreflightCheck().run(host, PreflightCheck.targets(host, java.util.List.of()));
        assertThat(r.findings()).isNotEmpty();
        String iommu = r.findings().stream().filter(f -> f.id().equals("iommu.kernel")).findFirst().orElseThrow()
                .severity().name();
        assertThat(iommu).isEqualTo(host.iommuActive() ? "PASS" : "FAIL");
    }

    private static long count(Path dir) throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.count();
        }
    }
}
