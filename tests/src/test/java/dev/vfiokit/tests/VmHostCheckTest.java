package dev.vfiokit.tests;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The pre-flight check on a real kernel with an emulated Intel or AMD IOMMU: it must see what the kernel
 * reports there (groups, interrupt remapping, the NVMe SR-IOV PF, the multifunction pair sharing a group).
 */
@Tag("vmhost")
class VmHostCheckTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Finds the devices in the guest, runs one check (one JVM start: ~45 s under TCG), and records the kernel's view. */
    private static final String GUEST = """
            S=/sys/bus/pci/devices
            PF=$(for d in $S/*; do [ -f $d/sriov_totalvfs ] && basename $d; done | head -1)
            MF1=$(for d in $S/*.1; do case $d in */0000:00:*) ;; *) basename $d;; esac; done | head -1)
            MF0=${MF1%.1}.0
            echo "$PF" > /mnt/out/pf; echo "$MF0 $MF1" > /mnt/out/mf
            ls /sys/kernel/iommu_groups | wc -l > /mnt/out/kernel-groups
            basename $(readlink $S/$MF0/iommu_group) > /mnt/out/mf-group
            grep -c ' IR-' /proc/interrupts > /mnt/out/ir-lines || true
            $JAVA -jar $JAR check --json --device $MF0,$PF > /mnt/out/check.json 2> /mnt/out/check.err
            echo $? > /mnt/out/check.rc
            """;

    @ParameterizedTest(name = "{0} IOMMU")
    @ValueSource(strings = {"intel", "amd"})
    void theCheckSeesGroupsInterruptRemappingAndTheSriovPfAsTheKernelDoes(String iommu) throws Exception {
        Path out = Path.of(System.getProperty("java.io.tmpdir"), "vfiokit-vmhost-check-" + iommu + "-" + ProcessHandle.current().pid());
        int rc = VmHost.run(iommu, GUEST, out);
        assertThat(rc).as("guest script exit code (see " + out + ")").isZero();
        String pf = VmHost.read(out, "pf").strip();
        String[] mf = VmHost.read(out, "mf").strip().split(" ");
        int kernelGroups = Integer.parseInt(VmHost.read(out, "kernel-groups").strip());
        int irLines = Integer.parseInt(VmHost.read(out, "ir-lines").strip());
        assertThat(pf).as("the NVMe SR-IOV PF").isNotEmpty();
        assertThat(kernelGroups).isPositive();
        assertThat(irLines).as("the kernel remaps interrupts (intremap=on)").isPositive();

        int checkRc = Integer.parseInt(VmHost.read(out, "check.rc").strip());
        JsonNode report = JSON.readTree(VmHost.read(out, "check.json"));
        assertThat(checkRc).isEqualTo(report.get("exitCode").asInt()).isBetween(1, 2);
        assertThat(VmHost.read(out, "check.err")).isEmpty();

        JsonNode firmware = finding(report, "iommu.firmware", "host");
        assertThat(firmware.get("severity").asText()).isEqualTo("PASS");
        assertThat(firmware.get("message").asText()).contains(iommu.equals("intel") ? "DMAR" : "IVRS");
        JsonNode kernel = finding(report, "iommu.kernel", "host");
        assertThat(kernel.get("severity").asText()).isEqualTo("PASS");
        assertThat(kernel.get("message").asText()).contains(kernelGroups + " IOMMU groups");
        assertThat(finding(report, "iommu.interrupt-remapping", "host").get("severity").asText()).isEqualTo("PASS");

        JsonNode sriov = finding(report, "sriov.pf", pf);
        assertThat(sriov.get("message").asText()).contains("nvme").contains("of 4 VFs");

        JsonNode group = finding(report, "group.isolation", mf[0]);
        assertThat(group.get("message").asText()).contains("group " + VmHost.read(out, "mf-group").strip())
                .contains(mf[1]);
        assertThat(finding(report, "device.functions", mf[0]).get("message").asText()).contains(mf[1]);
    }

    private static JsonNode finding(JsonNode report, String id, String subject) {
        List<String> seen = new ArrayList<>();
        for (JsonNode f : report.get("findings")) {
            if (f.get("id").asText().equals(id) && f.get("subject").asText().equals(subject)) {
                return f;
            }
            seen.add(f.get("id").asText() + "@" + f.get("subject").asText());
        }
        throw new AssertionError("no finding " + id + " for " + subject + "; saw " + seen);
    }
}
