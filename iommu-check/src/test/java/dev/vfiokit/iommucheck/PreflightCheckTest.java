package dev.vfiokit.iommucheck;

import dev.vfiokit.iommucheck.check.Finding;
import dev.vfiokit.iommucheck.check.PreflightCheck;
import dev.vfiokit.iommucheck.check.Report;
import dev.vfiokit.iommucheck.check.Severity;
import dev.vfiokit.iommucheck.fixture.FixtureHosts;
import dev.vfiokit.iommucheck.fixture.HostTree;
import dev.vfiokit.iommucheck.host.HostSnapshot;
import dev.vfiokit.iommucheck.host.PciAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PreflightCheckTest {
    @TempDir
    Path dir;

    private HostSnapshot host;

    private Report check(HostTree tree, String... devices) {
        host = Fixtures.read(tree, dir);
        List<PciAddress> addrs = java.util.Arrays.stream(devices).map(PciAddress::parse).toList();
        return new PreflightCheck().run(host, PreflightCheck.targets(host, addrs));
    }

    private static Finding finding(Report r, String id, String subject) {
        return r.findings().stream().filter(f -> f.id().equals(id) && f.subject().equals(subject)).findFirst()
                .orElseThrow(() -> new AssertionError("no finding " + id + " for " + subject + " in " + r.findings()));
    }

    @Test
    void intelWorkstationPassesIommuAndWarnsAboutTheNvidiaDriverAndBusOnlyReset() {
        Report r = check(FixtureHosts.intelWorkstation(), "01:00.0");
        assertThat(finding(r, "iommu.firmware", "host").severity()).isEqualTo(Severity.PASS);
        assertThat(finding(r, "iommu.kernel", "host").severity()).isEqualTo(Severity.PASS);
        assertThat(finding(r, "iommu.kernel", "host").hint()).isEmpty(); // iommu=pt already set
        assertThat(finding(r, "iommu.interrupt-remapping", "host").severity()).isEqualTo(Severity.PASS);
        assertThat(finding(r, "vfio.modules", "host").severity()).isEqualTo(Severity.PASS);
        Finding group = finding(r, "group.isolation", "0000:01:00.0");
        assertThat(group.severity()).isEqualTo(Severity.PASS);
        assertThat(group.message()).contains("isolated").contains("0000:01:00.1");
        assertThat(group.evidence()).anyMatch(e -> e.contains("0000:00:01.0") && e.contains("bridge"));
        assertThat(finding(r, "device.driver", "0000:01:00.0").severity()).isEqualTo(Severity.WARN);
        assertThat(finding(r, "device.driver", "0000:01:00.0").message()).contains("nvidia");
        assertThat(finding(r, "device.early-binding", "0000:01:00.0").severity()).isEqualTo(Severity.WARN);
        assertThat(finding(r, "device.reset", "0000:01:00.0").severity()).isEqualTo(Severity.WARN);
        assertThat(finding(r, "device.functions", "0000:01:00.0").message()).contains("0000:01:00.1 (audio)");
        assertThat(finding(r, "device.link", "0000:01:00.0").severity()).isEqualTo(Severity.PASS);
        assertThat(finding(r, "memory.hugepages", "0000:01:00.0").severity()).isEqualTo(Severity.PASS);
        assertThat(finding(r, "device.users", "0000:01:00.0").severity()).as("no process holds it").isEqualTo(Severity.PASS);
        assertThat(r.exitCode()).isEqualTo(Report.EXIT_WARN);
    }

    @Test
    void largeBarsAreReadFromResourceAndTheGuestsWindowIsReportedPerGpuAndForTheGpusTogether() {
        Report r = check(FixtureHosts.hgxH100(false), "18:00.0", "2a:00.0");
        Finding one = finding(r, "device.bar", "0000:18:00.0");
        assertThat(one.severity()).isEqualTo(Severity.WARN);
        assertThat(one.message()).contains("64-bit BARs of 131120M", "window of 256G", "OVMF's default 32G");
        assertThat(one.evidence()).containsExactly("BAR0 16M 64-bit", "BAR2 128G 64-bit prefetchable", "BAR4 32M 64-bit prefetchable");
        assertThat(one.hint()).contains("<qemu:arg value='name=opt/ovmf/X-PciMmio64Mb,string=262144'/>");
        Finding both = finding(r, "guest.mmio64", "0000:18:00.0 0000:2a:00.0");
        assertThat(both.message()).contains("window of 512G");

        Report off = check(FixtureHosts.hgxH100(true), "18:00.0");
        assertThat(finding(off, "device.bar", "0000:18:00.0").severity()).isEqualTo(Severity.FAIL);
        assertThat(finding(off, "device.bar", "0000:18:00.0").hint()).contains("Above 4G Decoding", "pci=realloc");

        Report a6000 = check(FixtureHosts.epycServer(), "41:00.0");
        assertThat(finding(a6000, "device.bar", "0000:41:00.0").severity()).as("288M fits").isEqualTo(Severity.PASS);
    }

    @Test
    void processesHoldingAGpuAreNamedWithPidAndCommand() {
        Report r = check(FixtureHosts.gpuHeldByHost(), "01:00.0");
        Finding f = finding(r, "device.users", "0000:01:00.0");
        assertThat(f.severity()).isEqualTo(Severity.FAIL);
        assertThat(f.message()).contains("pid 1432 (Xorg) holds /dev/dri/card1", "pid 2210 (nvidia-smi) holds /dev/nvidia0",
                "pid 1980 (nvidia-cuda-mps)").doesNotContain("sshd");
        assertThat(f.hint()).contains("display-manager", "nvidia-cuda-mps-control");
    }

    @Test
    void anAmdGpuWithTheResetBugIsToldToUseVendorResetUntilTheKernelDoes() {
        Finding none = finding(check(FixtureHosts.navi10(false, false), "0b:00.0"), "device.amd-reset", "0000:0b:00.0");
        assertThat(none.severity()).isEqualTo(Severity.WARN);
        assertThat(none.message()).startsWith("NAVI10 GPU with the AMD reset bug");
        assertThat(none.hint()).contains("gnif/vendor-reset", "modprobe vendor_reset",
                "echo device_specific > /sys/bus/pci/devices/0000:0b:00.0/reset_method", "ATTR{device}==\"0x731f\"");
        Finding loaded = finding(check(FixtureHosts.navi10(true, false), "0b:00.0"), "device.amd-reset", "0000:0b:00.0");
        assertThat(loaded.message()).contains("vendor-reset is loaded but the kernel resets it with bus");
        Finding done = finding(check(FixtureHosts.navi10(true, true), "0b:00.0"), "device.amd-reset", "0000:0b:00.0");
        assertThat(done.severity()).isEqualTo(Severity.PASS);
        assertThat(finding(check(FixtureHosts.navi10(true, true), "0b:00.0"), "device.reset", "0000:0b:00.0").severity())
                .isEqualTo(Severity.PASS);
        assertThat(finding(check(FixtureHosts.consumerBoard(), "0a:00.0"), "device.amd-reset", "0000:0a:00.0").severity())
                .as("Navi 21 resets fine").isEqualTo(Severity.SKIP);
    }

    @Test
    void epycServerChecksEveryGpuButTheBmcAndReportsSriovNumaAndLink() {
        Report r = check(FixtureHosts.epycServer());
        assertThat(r.targets()).containsExactly("0000:01:00.0", "0000:21:00.0", "0000:41:00.0", "0000:61:00.0", "0000:a1:00.0");
        assertThat(finding(r, "iommu.firmware", "host").message()).contains("IVRS");
        assertThat(finding(r, "device.early-binding", "0000:21:00.0").severity()).isEqualTo(Severity.PASS);
        // ids= binding catches all four identical A6000s, including the two the host keeps
        Finding byId = finding(r, "device.early-binding", "0000:41:00.0");
        assertThat(byId.severity()).isEqualTo(Severity.WARN);
        assertThat(byId.message()).contains("identical");
        Finding link = finding(r, "device.link", "0000:61:00.0");
        assertThat(link.severity()).isEqualTo(Severity.WARN);
        assertThat(link.message()).contains("x8").contains("x16");
        assertThat(finding(r, "device.numa", "0000:41:00.0").message()).contains("node 1");
        assertThat(finding(r, "memory.hugepages", "0000:01:00.0").message()).contains("64 GiB").contains("node 0");
        assertThat(finding(r, "memory.hugepages", "0000:41:00.0").message()).contains("8 GiB").contains("node 1");
        Finding sriov = finding(r, "sriov.pf", "0000:c1:00.0");
        assertThat(sriov.severity()).isEqualTo(Severity.PASS);
        assertThat(sriov.message()).contains("4 of 128 VFs");
        assertThat(finding(r, "sriov.pf", "0000:c1:00.1").hint()).contains("vf create");
        assertThat(r.findings()).noneMatch(f -> f.subject().equals("0000:c2:00.0"));
        assertThat(r.exitCode()).isEqualTo(Report.EXIT_WARN);
    }

    @Test
    void allGpusIncludeTheBmcWhenAskedByAddress() {
        Report r = check(FixtureHosts.epycServer(), "c2:00.0");
        assertThat(finding(r, "device.boot-vga", "0000:c2:00.0").severity()).isEqualTo(Severity.WARN);
        assertThat(finding(r, "device.reset", "0000:c2:00.0").severity()).isEqualTo(Severity.FAIL);
        assertThat(r.exitCode()).isEqualTo(Report.EXIT_FAIL);
    }

    @Test
    void aDeviceTheHostRunsOnFailsTheGroupCheckInsteadOfPassingAsIsolated() {
        Report r = check(FixtureHosts.epycServer(), "c3:00.0", "c4:00.3", "81:00.0");
        Finding nic = finding(r, "group.isolation", "0000:c3:00.0");
        assertThat(nic.severity()).isEqualTo(Severity.FAIL);
        assertThat(nic.message()).isEqualTo("the host needs this device: it carries the default route (eno1); "
                + "vfiokit refuses to bind it or pass it to a guest");
        assertThat(nic.hint()).doesNotContain("bind");
        assertThat(finding(r, "group.isolation", "0000:c4:00.3").message()).contains("is a USB controller (xhci_hcd)");
        assertThat(finding(r, "group.isolation", "0000:81:00.0").message()).contains("is a storage controller (nvme)");
        assertThat(finding(r, "group.isolation", "0000:81:00.0").hint()).contains("bound to vfio-pci first");
        assertThat(r.exitCode()).isEqualTo(Report.EXIT_FAIL);
    }

    @Test
    void consumerBoardFailsBecauseTheGpuGroupHoldsChipsetUsbAndSata() {
        Report r = check(FixtureHosts.consumerBoard(), "0a:00.0");
        Finding group = finding(r, "group.isolation", "0000:0a:00.0");
        assertThat(group.severity()).isEqualTo(Severity.FAIL);
        assertThat(group.message()).contains("0000:02:00.0 is a USB controller").contains("0000:02:00.1 is a storage controller");
        assertThat(group.hint()).contains("ACS override");
        Finding cmd = finding(r, "iommu.cmdline", "host");
        assertThat(cmd.severity()).isEqualTo(Severity.WARN);
        assertThat(cmd.message()).contains("amd_iommu=on is not a valid value");
        assertThat(finding(r, "device.reset", "0000:0a:00.0").hint()).as("Navi 21 is not in vendor-reset's list: no such advice").doesNotContain("vendor-reset");
        assertThat(finding(r, "device.link", "0000:0a:00.0").message()).contains("x4");
        assertThat(finding(r, "vfio.modules", "host").severity()).isEqualTo(Severity.WARN);
        assertThat(r.exitCode()).isEqualTo(Report.EXIT_FAIL);
    }

    @Test
    void vtdInFirmwareButOffInTheKernelFailsWithAnIntelHint() {
        Report r = check(FixtureHosts.iommuOffInKernel("6.1.0-28-amd64"));
        assertThat(finding(r, "iommu.firmware", "host").severity()).isEqualTo(Severity.PASS);
        Finding kernel = finding(r, "iommu.kernel", "host");
        assertThat(kernel.severity()).isEqualTo(Severity.FAIL);
        assertThat(kernel.hint()).contains("intel_iommu=on").contains("before 6.8").contains("iommu=pt")
                .doesNotContain("amd_iommu");
        assertThat(finding(r, "iommu.interrupt-remapping", "host").severity()).isEqualTo(Severity.SKIP);
        assertThat(finding(r, "group.isolation", "0000:17:00.0").severity()).isEqualTo(Severity.FAIL);
        assertThat(r.exitCode()).isEqualTo(Report.EXIT_FAIL);
    }

    @Test
    void onKernel68TheHintExplainsDefaultOnDependsOnTheBuild() {
        Report r = check(FixtureHosts.iommuOffInKernel("6.8.0-45-generic"));
        assertThat(finding(r, "iommu.kernel", "host").hint()).contains("6.8+").contains("CONFIG_INTEL_IOMMU_DEFAULT_ON");
    }

    @Test
    void bootGpuHeldByEfifbWithNouveauAndUnsafeInterruptsWarns() {
        Report r = check(FixtureHosts.bootVgaEfifb(), "01:00.0");
        Finding boot = finding(r, "device.boot-vga", "0000:01:00.0");
        assertThat(boot.severity()).isEqualTo(Severity.WARN);
        assertThat(boot.message()).contains("EFI VGA");
        assertThat(boot.hint()).contains("video=efifb:off");
        assertThat(finding(r, "device.driver", "0000:01:00.0").message()).contains("nouveau");
        Finding ir = finding(r, "iommu.interrupt-remapping", "host");
        assertThat(ir.severity()).isEqualTo(Severity.WARN);
        assertThat(ir.message()).contains("allow_unsafe_interrupts").contains("inject");
        // all four Turing functions are one device: the group is isolated, and its USB-C is not "the host's USB"
        Finding group = finding(r, "group.isolation", "0000:01:00.0");
        assertThat(group.severity()).isEqualTo(Severity.PASS);
        assertThat(finding(r, "device.functions", "0000:01:00.0").message())
                .contains("0000:01:00.1 (audio)").contains("0000:01:00.2 (usb)").contains("0000:01:00.3 (serial-bus)");
        assertThat(r.exitCode()).isEqualTo(Report.EXIT_WARN);
    }

    @Test
    void withoutInterruptRemappingOrTheUnsafeOptionTheCheckFails() {
        HostTree t = FixtureHosts.intelWorkstation().interruptRemapping(false);
        Report r = check(t, "01:00.0");
        Finding ir = finding(r, "iommu.interrupt-remapping", "host");
        assertThat(ir.severity()).isEqualTo(Severity.FAIL);
        assertThat(ir.evidence()).anyMatch(e -> e.contains("no IR-"));
    }

    @Test
    void aHostWithoutVirtualizationOrKvmFailsTheCpuChecks() {
        HostTree t = FixtureHosts.intelWorkstation().cpu("GenuineIntel", "Old CPU").noKvm();
        Report r = check(t, "01:00.0");
        assertThat(finding(r, "cpu.virtualization", "host").severity()).isEqualTo(Severity.FAIL);
        assertThat(finding(r, "cpu.virtualization", "host").hint()).contains("VT-x");
        assertThat(finding(r, "kvm.device", "host").hint()).contains("kvm_intel");
    }

    @Test
    void aGroupSharedWithAnotherCardWarnsAndListsWhatMustMove() {
        HostTree t = FixtureHosts.intelWorkstation().pci(dev.vfiokit.iommucheck.fixture.PciFunction.at("0000:01:01.0")
                .ids(0x1b21, 0x1242).classCode(0x0c0330 & 0xff00ff).driver("some_driver").group(1));
        Report r = check(t, "01:00.0");
        Finding g = finding(r, "group.isolation", "0000:01:00.0");
        assertThat(g.severity()).isEqualTo(Severity.WARN);
        assertThat(g.message()).contains("0000:01:01.0").contains("0000:01:00.1");
        assertThat(g.hint()).contains("vfiokit bind --group --device 0000:01:00.0");
    }

    @Test
    void theIommuVendorComesFromFirmwareTablesNotFromTheCpuVendor() {
        // QEMU's TCG CPU says AuthenticAMD while its emulated IOMMU is Intel's (DMAR): seen on the VM host
        HostTree t = FixtureHosts.intelWorkstation().cpu("AuthenticAMD", "QEMU TCG CPU version 2.5+", "svm");
        Report r = check(t, "01:00.0");
        assertThat(finding(r, "iommu.firmware", "host").severity()).isEqualTo(Severity.PASS);
        assertThat(finding(r, "iommu.firmware", "host").message()).contains("VT-d").contains("DMAR");
        assertThat(finding(r, "iommu.kernel", "host").message()).contains("VT-d");
    }

    @Test
    void aGpuWithVgpuTypesReportsItsProfilesAndFreeInstances() {
        Report r = check(FixtureHosts.epycServer());
        Finding t4 = finding(r, "mdev.parent", "0000:a1:00.0");
        assertThat(t4.severity()).isEqualTo(Severity.PASS);
        assertThat(t4.message()).contains("5 types, 27 instances free");
        assertThat(t4.evidence()).contains("nvidia-223 \"GRID T4-2B\" vfio-pci, 7 available", "1 mdevs exist on it");
    }

    @Test
    void vgpuThroughVfsWarnsUntilTheVfsAreEnabledThenSumsTheirInstances() {
        Report off = check(FixtureHosts.sriovVgpuServer(false));
        Finding f = finding(off, "mdev.parent", "0000:17:00.0");
        assertThat(f.severity()).isEqualTo(Severity.WARN);
        assertThat(f.hint()).contains("sriov-manage -e 0000:17:00.0");
        Report on = check(FixtureHosts.sriovVgpuServer(true));
        Finding g = finding(on, "mdev.parent", "0000:17:00.0");
        assertThat(g.severity()).isEqualTo(Severity.PASS);
        assertThat(g.message()).contains("vGPU through 4 VFs, 8 instances free");
        assertThat(on.findings()).noneMatch(x -> x.id().equals("mdev.parent") && x.subject().startsWith("0000:17:00.") && !x.subject().equals("0000:17:00.0"));
    }

    @Test
    void vendorSpecificVfioVgpuIsNamedAsItsFrameworkWithTheFreeVfsAndWhatTheyTakeNow() {
        Report on = check(FixtureHosts.l40sVgpu(true));
        Finding f = finding(on, "vgpu.vendor", "0000:41:00.0");
        assertThat(f.severity()).isEqualTo(Severity.PASS);
        assertThat(f.message()).isEqualTo("vendor-specific VFIO vGPU (NVIDIA vGPU 17+, no mdev bus): 4 VFs, 3 free; "
                + "creatable now: 1177 \"NVIDIA L40S-12Q\"");
        assertThat(f.evidence()).contains("0000:41:00.5: vGPU type 1177", "0000:41:00.4: free, creatable [1177]");
        assertThat(on.findings()).noneMatch(x -> x.id().equals("mdev.parent") && x.subject().equals("0000:41:00.0"));
    }

    @Test
    void migInstancesAreReportedWithWhatBreaksThem() {
        Report r = check(FixtureHosts.a100Mig());
        Finding f = finding(r, "device.mig", "0000:c1:00.0");
        assertThat(f.severity()).isEqualTo(Severity.WARN);
        assertThat(f.message()).startsWith("MIG is on with 2 GPU instance(s) (gi1, gi2): passing the whole GPU destroys them")
                .contains("enable SR-IOV first, then create the MIG instances, then the vGPUs");
        assertThat(f.hint()).contains("nvidia-smi -i N -mig 0");
        // a GPU the driver's procfs does not show is not guessed at
        Report l40s = check(FixtureHosts.l40sVgpu(true));
        assertThat(finding(l40s, "device.mig", "0000:41:00.0").severity()).isEqualTo(Severity.SKIP);
    }

    @Test
    void anNvswitchBoardIsRecognisedWithItsFabricManagerMode() {
        Finding full = finding(check(FixtureHosts.hgxH100(false)), "board.nvswitch", "host");
        assertThat(full.message()).startsWith("NVSwitch board: 8 NVIDIA GPUs, 4 NVSwitches, no Fabric Manager on the host (full passthrough)")
                .contains("gets the GPUs with all the NVSwitches");
        assertThat(full.evidence()).contains("NVSwitch 0000:c1:00.0 (driver nvidia-nvswitch)");
        dir = dir.resolve("shared");
        Finding shared = finding(check(FixtureHosts.hgxH100SharedNvswitch()), "board.nvswitch", "host");
        assertThat(shared.message()).contains("Fabric Manager mode 1 (shared NVSwitch): a guest gets the GPUs of one Fabric Manager partition");
        dir = dir.resolve("ws");
        assertThat(check(FixtureHosts.intelWorkstation()).findings()).noneMatch(f -> f.id().equals("board.nvswitch"));
    }

    @Test
    void anUnknownTargetAddressIsRefusedByName() {
        host = Fixtures.read(FixtureHosts.intelWorkstation(), dir);
        assertThatThrownBy(() -> PreflightCheck.targets(host, List.of(PciAddress.parse("09:00.0"))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no PCI device 0000:09:00.0");
    }
}
