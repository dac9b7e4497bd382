package dev.vfiokit.iommucheck;

import dev.vfiokit.iommucheck.check.DomainReadiness;
import dev.vfiokit.iommucheck.check.Finding;
import dev.vfiokit.iommucheck.check.Severity;
import dev.vfiokit.iommucheck.fixture.FixtureHosts;
import dev.vfiokit.iommucheck.host.HostSnapshot;
import dev.vfiokit.iommucheck.host.LibvirtVersion;
import dev.vfiokit.iommucheck.input.SecureXml;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A domain's locked-memory budget and live-migration blockers, on the iommufd host and the L40S vGPU host. */
class DomainReadinessTest {
    @TempDir
    static Path dir;

    static HostSnapshot host;
    static HostSnapshot l40s;

    @BeforeAll
    static void hosts() {
        host = Fixtures.read(FixtureHosts.iommufdHost(), dir.resolve("iommufd"));
        l40s = Fixtures.read(FixtureHosts.l40sVgpu(true), dir.resolve("l40s"));
    }

    private static String hostdev(String bus, String slot, String fn, String driverAttrs) {
        return "<hostdev mode='subsystem' type='pci' managed='yes'><driver name='vfio'" + driverAttrs + "/><source><address domain='0x0000' bus='"
                + bus + "' slot='" + slot + "' function='" + fn + "'/></source></hostdev>";
    }

    private static String domain(String memory, String extra, String devices) {
        return "<domain type='kvm'><name>d1</name><memory unit='GiB'>" + memory + "</memory>" + extra + "<devices>" + devices
                + "</devices></domain>";
    }

    private static List<Finding> check(HostSnapshot h, String xml, DomainReadiness.Versions v) {
        return new DomainReadiness().check(h, SecureXml.parse(xml, "test").getDocumentElement(), "d1", v);
    }

    private static Finding finding(List<Finding> fs, String id) {
        return fs.stream().filter(f -> f.id().equals(id)).findFirst().orElseThrow();
    }

    @Test
    void aVfioGuestLargerThanTheHostsRamFailsWhateverItsLimitAndAnUnreadableSizeIsSaidAsWritten() {
        String gpu = hostdev("0x01", "0x00", "0x0", "");
        // the Ryzen host: 128 GiB installed, MemTotal 126 GiB
        Finding huge = finding(check(host, domain("200", "<memtune><hard_limit unit='GiB'>256</hard_limit></memtune>", gpu),
                DomainReadiness.Versions.UNKNOWN), "domain.memlock");
        assertThat(huge.severity()).isEqualTo(Severity.FAIL);
        assertThat(huge.message()).isEqualTo("its memory (200G) is more than the host's RAM (126G): a guest with VFIO devices has all"
                + " its memory pinned, so it could never start");
        assertThat(huge.evidence()).containsExactly("host MemTotal 132120576 kB (meminfo)");
        assertThat(finding(check(host, domain("100", "<memtune><hard_limit unit='GiB'>256</hard_limit></memtune>", gpu),
                DomainReadiness.Versions.UNKNOWN), "domain.memlock").severity()).isEqualTo(Severity.PASS);
        assertThatThrownBy(() -> check(host, domain("99999999999999", "", gpu), DomainReadiness.Versions.UNKNOWN))
                .hasMessage("<memory unit='GiB'>99999999999999</memory> is not a size below 2^63 KiB");
    }

    @Test
    void bigBarsThroughIommufdOverrunLibvirtsOwnLimitAndTheFixIsAHardLimitThatHoldsThem() {
        String gpu = hostdev("0x01", "0x00", "0x0", " iommufd='yes'");
        Finding short1 = finding(check(host, domain("16", "", gpu), DomainReadiness.Versions.UNKNOWN), "domain.memlock");
        assertThat(short1.severity()).isEqualTo(Severity.FAIL);
        assertThat(short1.message()).startsWith("needs 49312M of locked memory; QEMU would run with 17G");
        assertThat(short1.hint()).startsWith("set <memtune><hard_limit unit='KiB'>51380224</hard_limit></memtune>");
        assertThat(short1.evidence()).contains("0000:01:00.0 through iommufd: its BARs (32864M) count");
        Finding held = finding(check(host, domain("16", "<memtune><hard_limit unit='GiB'>64</hard_limit></memtune>", gpu),
                DomainReadiness.Versions.UNKNOWN), "domain.memlock");
        assertThat(held.severity()).isEqualTo(Severity.PASS);
        assertThat(held.message()).endsWith("the limit is 64G (its hard_limit)");
        Finding legacy = finding(check(host, domain("16", "", hostdev("0x01", "0x00", "0x0", "")), DomainReadiness.Versions.UNKNOWN),
                "domain.memlock");
        assertThat(legacy.severity()).as("BARs do not count through the legacy path").isEqualTo(Severity.PASS);
        // a hard_limit below the RAM itself
        Finding tight = finding(check(host, domain("16", "<memtune><hard_limit unit='GiB'>8</hard_limit></memtune>",
                hostdev("0x01", "0x00", "0x0", "")), DomainReadiness.Versions.UNKNOWN), "domain.memlock");
        assertThat(tight.severity()).isEqualTo(Severity.FAIL);
    }

    @Test
    void aVirtualIommuPinsGuestMemoryOncePerDevice() {
        String two = hostdev("0x01", "0x00", "0x0", "") + hostdev("0x03", "0x00", "0x2", "") + "<iommu model='intel'/>";
        Finding f = finding(check(host, domain("8", "", two), DomainReadiness.Versions.UNKNOWN), "domain.memlock");
        assertThat(f.evidence()).contains("guest RAM 8G x 2 (a vIOMMU: pinned once per VFIO device)");
        assertThat(f.severity()).as("libvirt's own limit is 2 x RAM + 1G").isEqualTo(Severity.PASS);
    }

    @Test
    void aDeviceOnPlainVfioPciBlocksALiveMigrationAndAMigratingVariantDriverDoesNot() {
        DomainReadiness.Versions v = new DomainReadiness.Versions(LibvirtVersion.parse("10.5.0"), LibvirtVersion.parse("9.0.0"));
        Finding gpu = finding(check(host, domain("8", "", hostdev("0x01", "0x00", "0x0", "")), v), "domain.migration");
        assertThat(gpu.severity()).isEqualTo(Severity.FAIL);
        assertThat(gpu.message()).startsWith("a live migration would be refused: 0000:01:00.0 goes to vfio-pci, which has no VFIO migration support");
        Finding vf = finding(check(host, domain("8", "", hostdev("0x03", "0x00", "0x2", "")), v), "domain.migration");
        assertThat(vf.severity()).isEqualTo(Severity.PASS);
        assertThat(vf.evidence()).contains("0000:03:00.2: mlx5_vfio_pci (what it would be bound to)", "QEMU 9.0.0");
        Finding oldQemu = finding(check(host, domain("8", "", hostdev("0x03", "0x00", "0x2", "")),
                new DomainReadiness.Versions(null, LibvirtVersion.parse("7.2.0"))), "domain.migration");
        assertThat(oldQemu.message()).contains("QEMU 7.2.0: VFIO migration is experimental before 8.1");
        Finding viommu = finding(check(host, domain("8", "", hostdev("0x03", "0x00", "0x2", "") + "<iommu model='intel'/>"), v),
                "domain.migration");
        assertThat(viommu.severity()).isEqualTo(Severity.FAIL);
        assertThat(viommu.message()).contains("a vIOMMU (<iommu>) in front of VFIO devices");
        Finding two = finding(check(host, domain("8", "", hostdev("0x03", "0x00", "0x1", "") + hostdev("0x03", "0x00", "0x2", "")), v),
                "domain.migration");
        assertThat(two.severity()).isEqualTo(Severity.WARN);
        assertThat(two.message()).contains("2 devices migrate together: each must support the P2P states");
        Finding none = finding(check(host, domain("8", "", ""), v), "domain.migration");
        assertThat(none.severity()).isEqualTo(Severity.PASS);
        assertThat(finding(check(host, domain("8", "", ""), v), "domain.memlock").severity()).isEqualTo(Severity.SKIP);
    }

    @Test
    void aVgpuMigratesOnlyWithTheSameManagerOnBothHostsWhichOneHostCannotShow() {
        String vf = "<hostdev mode='subsystem' type='pci' managed='no'><source><address domain='0x0000' bus='0x41' slot='0x00' "
                + "function='0x5'/></source></hostdev>";
        Finding f = finding(check(l40s, domain("8", "", vf), DomainReadiness.Versions.UNKNOWN), "domain.migration");
        assertThat(f.severity()).isEqualTo(Severity.WARN);
        assertThat(f.message()).contains("0000:41:00.5 is an NVIDIA vGPU: it migrates only between hosts with the same vGPU manager version");
    }
}
