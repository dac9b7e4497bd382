package dev.vfiokit.iommucheck;

import dev.vfiokit.iommucheck.check.Finding;
import dev.vfiokit.iommucheck.check.PreflightCheck;
import dev.vfiokit.iommucheck.check.Report;
import dev.vfiokit.iommucheck.check.Severity;
import dev.vfiokit.iommucheck.fixture.FixtureHosts;
import dev.vfiokit.iommucheck.fixture.HostTree;
import dev.vfiokit.iommucheck.host.HostSnapshot;
import dev.vfiokit.iommucheck.host.PciAddress;
import dev.vfiokit.iommucheck.host.VariantDrivers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** iommufd and the VFIO cdev, variant drivers, power and reset traps, arm64: check on hosts laid out as today's kernels. */
class TodaysKernelChecksTest {
    @TempDir
    Path dir;

    private Report check(HostTree tree, String... devices) {
        return Fixtures.check(tree, dir, devices);
    }

    private static Finding finding(Report r, String id, String subject) {
        return Fixtures.finding(r, id, subject);
    }

    @Test
    void aKernelWithIommufdAndTheCdevOffersBothBackendsAndNamesABoundDevicesCdev() {
        Report r = check(FixtureHosts.iommufdHost(), "01:00.0");
        Finding b = finding(r, "vfio.backend", "host");
        assertThat(b.severity()).isEqualTo(Severity.PASS);
        assertThat(b.message()).startsWith("legacy group/container (type1); iommufd with the VFIO device cdev");
        assertThat(b.evidence()).contains("/dev/iommu: present", "/boot/config-6.14.0-29-generic: CONFIG_IOMMUFD=m",
                "/boot/config-6.14.0-29-generic: CONFIG_VFIO_DEVICE_CDEV=y", "0000:01:00.0: vfio-dev/vfio0, cdev /dev/vfio/devices/vfio0");
    }

    @Test
    void aKernelBuiltWithoutIommufdIsReportedAsLegacyOnlyFromItsConfig() {
        // Debian 12's linux-image-6.12: "# CONFIG_IOMMUFD is not set", no CONFIG_VFIO_DEVICE_CDEV (it depends on IOMMUFD)
        HostTree t = FixtureHosts.intelWorkstation().file("/dev/vfio/vfio", "")
                .file("/boot/config-6.1.0-28-amd64", "CONFIG_VFIO=m\nCONFIG_VFIO_CONTAINER=y\n# CONFIG_IOMMUFD is not set\n");
        Finding b = finding(check(t), "vfio.backend", "host");
        assertThat(b.severity()).isEqualTo(Severity.PASS);
        assertThat(b.message()).isEqualTo("legacy group/container (type1); no iommufd (this kernel is built without CONFIG_IOMMUFD): "
                + "devices pass through the legacy group path");
    }

    @Test
    void withoutVfioNodesOrAKernelConfigTheBackendIsNotGuessed() {
        assertThat(finding(check(FixtureHosts.intelWorkstation()), "vfio.backend", "host").severity()).isEqualTo(Severity.SKIP);
    }

    @Test
    void theVariantDriverWithTheFewestWildcardsWinsAsLibvirtChoosesIt() {
        VariantDrivers v = VariantDrivers.parse(List.of("alias vfio_pci:v*d*sv*sd*bc*sc*i* vfio_pci",
                "alias vfio_pci:v000015B3d*sv*sd*bc*sc*i* wide_vfio_pci",
                "alias vfio_pci:v000015B3d0000101Esv*sd*bc*sc*i* mlx5_vfio_pci", "alias pci:v000015B3d0000101Esv*sd*bc*sc*i* mlx5_core"));
        assertThat(v.variantFor("pci:v000015B3d0000101Esv000015B3sd00000040bc02sc00i00")).get()
                .extracting(VariantDrivers.Choice::module).isEqualTo("mlx5_vfio_pci");
        assertThat(v.variantFor("pci:v000015B3d00001021sv000015B3sd00000040bc02sc00i00")).get()
                .extracting(VariantDrivers.Choice::module).isEqualTo("wide_vfio_pci");
        assertThat(v.variantFor("pci:v000010DEd00002B85sv000010DEsd00002059bc03sc00i00")).isEmpty();
        assertThat(v.driverFor("pci:v000010DEd00002B85sv000010DEsd00002059bc03sc00i00").driverName()).isEqualTo("vfio-pci");
        assertThat(v.variantModules()).containsExactly("wide_vfio_pci", "mlx5_vfio_pci");
    }

    @Test
    void checkNamesTheVariantDriverADeviceWillGetAndWarnsWhenPlainVfioPciHoldsIt() {
        Report r = check(FixtureHosts.iommufdHost(), "03:00.2", "01:00.0");
        Finding vf = finding(r, "device.vfio-driver", "0000:03:00.2");
        assertThat(vf.severity()).isEqualTo(Severity.PASS);
        assertThat(vf.message()).isEqualTo("gets mlx5_vfio_pci, a VFIO variant driver");
        assertThat(vf.evidence()).contains("modules.alias: alias vfio_pci:v000015B3d0000101Esv*sd*bc*sc*i* mlx5_vfio_pci");
        assertThat(finding(r, "device.vfio-driver", "0000:01:00.0").message()).isEqualTo("gets vfio-pci (bound now)");
        HostTree onPlain = FixtureHosts.iommufdHost();
        onPlain.pci(dev.vfiokit.iommucheck.fixture.PciFunction.at("0000:05:00.0").ids(0x15b3, 0x101e).classCode(0x020000)
                .driver("vfio-pci").group(40));
        dir = dir.resolve("plain");
        Finding plain = finding(check(onPlain, "05:00.0"), "device.vfio-driver", "0000:05:00.0");
        assertThat(plain.severity()).isEqualTo(Severity.WARN);
        assertThat(plain.hint()).isEqualTo("vfiokit unbind --device 0000:05:00.0 --dry-run; then vfiokit bind --device 0000:05:00.0 "
                + "--dry-run; (without --dry-run to do it)");
    }

    @Test
    void aVendorVgpuVfKeepsItsHostDriver() {
        Finding f = finding(check(FixtureHosts.l40sVgpu(true), "41:00.5"), "device.vfio-driver", "0000:41:00.5");
        assertThat(f.message()).startsWith("keeps nvidia: a vendor-specific VFIO vGPU VF is passed on its host driver, never rebound");
    }

    @Test
    void aDeviceInD3coldAndAModelWithAKnownResetTrapAreNamedWithTheirSourceAndWorkaround() {
        Report r = check(FixtureHosts.iommufdHost(), "01:00.0", "02:00.0");
        Finding cold = finding(r, "device.power", "0000:02:00.0");
        assertThat(cold.severity()).isEqualTo(Severity.WARN);
        assertThat(cold.message()).startsWith("in D3cold");
        assertThat(cold.hint()).contains("echo 0 > /sys/bus/pci/devices/0000:02:00.0/d3cold_allowed");
        Finding navi48 = finding(r, "device.reset-trap", "0000:02:00.0");
        assertThat(navi48.message()).startsWith("AMD Radeon RX 9070 / 9070 XT (Navi 48, RDNA 4): no working reset");
        assertThat(navi48.evidence()).anyMatch(e -> e.startsWith("source: gnif/vendor-reset"));
        Finding blackwell = finding(r, "device.reset-trap", "0000:01:00.0");
        assertThat(blackwell.message()).contains("after a function level reset");
        assertThat(blackwell.evidence()).anyMatch(e -> e.contains("CloudRift"));
        Finding d0 = finding(r, "device.power", "0000:01:00.0");
        assertThat(d0.severity()).as("D0, but D3cold allowed on a model that does not survive it").isEqualTo(Severity.WARN);
        dir = dir.resolve("ws");
        Report ws = check(FixtureHosts.intelWorkstation(), "01:00.0");
        assertThat(finding(ws, "device.power", "0000:01:00.0").severity()).isEqualTo(Severity.SKIP);
        assertThat(ws.findings()).noneMatch(f -> f.id().equals("device.reset-trap"));
    }

    @Test
    void anArm64GraceHostIsAbleToPassDevices() {
        Report r = check(FixtureHosts.graceHopper());
        assertThat(r.targets()).containsExactly("0009:01:00.0");
        Finding cpu = finding(r, "cpu.virtualization", "host");
        assertThat(cpu.severity()).isEqualTo(Severity.PASS);
        assertThat(cpu.message()).startsWith("arm64:");
        assertThat(cpu.evidence()).contains("cpu: arm64, ARM Neoverse-V2");
        assertThat(finding(r, "kvm.device", "host").severity()).isEqualTo(Severity.PASS);
        Finding fw = finding(r, "iommu.firmware", "host");
        assertThat(fw.severity()).isEqualTo(Severity.PASS);
        assertThat(fw.message()).isEqualTo("SMMUv3 is described by firmware (ACPI IORT)");
        assertThat(finding(r, "iommu.kernel", "host").severity()).isEqualTo(Severity.PASS);
        Finding ir = finding(r, "iommu.interrupt-remapping", "host");
        assertThat(ir.severity()).isEqualTo(Severity.PASS);
        assertThat(ir.message()).contains("GICv3 ITS");
        assertThat(finding(r, "device.vfio-driver", "0009:01:00.0").message())
                .isEqualTo("gets nvgrace_gpu_vfio_pci (bound now), a VFIO variant driver");
        assertThat(finding(r, "device.driver", "0009:01:00.0").severity()).isEqualTo(Severity.PASS);
        assertThat(r.findings()).noneMatch(f -> f.severity() == Severity.FAIL);
    }
}
