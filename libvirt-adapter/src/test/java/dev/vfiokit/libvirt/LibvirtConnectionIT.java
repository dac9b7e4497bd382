package dev.vfiokit.libvirt;

import dev.vfiokit.iommucheck.fixture.FixtureHosts;
import dev.vfiokit.iommucheck.host.FactSource;
import dev.vfiokit.iommucheck.host.HostRoot;
import dev.vfiokit.iommucheck.host.HostSnapshot;
import dev.vfiokit.iommucheck.host.HostSnapshotReader;
import dev.vfiokit.iommucheck.host.PciAddress;
import dev.vfiokit.iommucheck.host.PciDevice;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Against libvirt's in-process test driver: a real libvirt, no daemon. */
class LibvirtConnectionIT {
    @TempDir
    static Path dir;

    static HostSnapshot epyc;
    static Path hostFile;

    static final String DOMAIN = """
            <domain type='kvm'>
              <name>%s</name>
              <memory unit='MiB'>512</memory>
              <os><type arch='x86_64' machine='q35'>hvm</type></os>
              <devices>
                <hostdev mode='subsystem' type='pci' managed='yes'>
                  <source><address domain='0x0000' bus='0x41' slot='0x00' function='0x0'/></source>
                </hostdev>
                <interface type='hostdev' managed='yes'>
                  <source><address type='pci' domain='0x0000' bus='0xc1' slot='0x02' function='0x1'/></source>
                </interface>
              </devices>
            </domain>
            """;

    @BeforeAll
    static void host() {
        FixtureHosts.epycServer().writeTo(dir.resolve("epyc"));
        epyc = new HostSnapshotReader(new HostRoot(dir.resolve("epyc"))).read("epyc");
        hostFile = TestDriverHostFile.write(epyc, dir.resolve("epyc-host.xml"));
    }

    private static LibvirtConnection open() {
        return LibvirtConnection.open("test://" + hostFile.toAbsolutePath(), false);
    }

    @Test
    void aNetworkIsActiveInactiveOrMissing() {
        try (LibvirtConnection c = open()) {
            assertThat(c.networkState("default")).isEqualTo("active");
            assertThat(c.networkState("no-such-network")).isEqualTo("missing");
            String name = c.defineNetwork("<network><name>idle</name><bridge name='virbr9'/></network>");
            assertThat(c.networkState(name)).isEqualTo("inactive");
        }
    }

    @Test
    void definesStartsStopsAndUndefinesADomain() {
        try (LibvirtConnection c = open()) {
            DomainSummary d = c.define(DOMAIN.formatted("vm1"));
            assertThat(d.name()).isEqualTo("vm1");
            assertThat(d.state()).isEqualTo(DomainSummary.State.SHUT_OFF);
            assertThat(d.persistent()).isTrue();
            c.start("vm1");
            assertThat(c.domains()).extracting(DomainSummary::state).containsExactly(DomainSummary.State.RUNNING);
            assertThatThrownBy(() -> c.undefine("vm1")).isInstanceOf(LibvirtFailure.class).hasMessageContaining("running");
            c.stop("vm1", true);
            assertThat(c.dumpXml("vm1", true)).contains("<name>vm1</name>").contains("bus='0x41'");
            c.undefine("vm1");
            assertThat(c.domains()).isEmpty();
        }
    }

    @Test
    void oneListingPassGivesEveryDomainsStateAndPersistenceAndDefinitionsMatchDumpXml() {
        // the test driver's own domain "test" runs from its default config: here a fresh host file has none
        try (LibvirtConnection c = open()) {
            for (String n : List.of("p-off", "p-run", "p-paused")) {
                c.define(DOMAIN.formatted(n).replace("bus='0x41'", "bus='0x0" + n.length() + "'").replace("bus='0xc1'", "bus='0xd" + n.length() + "'"));
            }
            c.start("p-run");
            c.start("p-paused");
            c.pause("p-paused");
            assertThat(c.domains()).extracting(DomainSummary::name, DomainSummary::state, DomainSummary::persistent).containsExactly(
                    org.assertj.core.groups.Tuple.tuple("p-off", DomainSummary.State.SHUT_OFF, true),
                    org.assertj.core.groups.Tuple.tuple("p-paused", DomainSummary.State.PAUSED, true),
                    org.assertj.core.groups.Tuple.tuple("p-run", DomainSummary.State.RUNNING, true));
            java.util.SortedMap<String, String> defs = c.definitions();
            assertThat(defs.keySet()).containsExactly("p-off", "p-paused", "p-run");
            defs.forEach((n, xml) -> assertThat(xml).isEqualTo(c.dumpXml(n, true)));
            c.stop("p-run", true);
            c.stop("p-paused", true);
            for (String n : List.of("p-off", "p-run", "p-paused")) {
                c.undefine(n);
            }
        }
    }

    @Test
    void libvirtSchemaValidationRefusesBadXmlWithOneLineAndNoStderrNoise() {
        PrintStream err = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured));
        try (LibvirtConnection c = open()) {
            assertThatThrownBy(() -> c.define("<domain type='kvm'><name>bad</name><memory>lots</memory></domain>"))
                    .isInstanceOf(LibvirtFailure.class)
                    // libvirt's schema, checked in process where it is installed; libvirt's own validation elsewhere
                    .hasMessageContaining(DomainSchema.installed().isPresent() ? "does not fit libvirt's schema" : "failed to validate against schema")
                    .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
            assertThatThrownBy(() -> c.start("missing")).isInstanceOf(LibvirtFailure.class)
                    .hasMessageContaining("no domain 'missing'");
        } finally {
            System.setErr(err);
        }
        assertThat(captured.toString()).isEmpty();
    }

    @Test
    void anUnreachableUriFailsWithOneLine() {
        assertThatThrownBy(() -> LibvirtConnection.open("qemu+unix:///system?socket=/nonexistent/sock", true))
                .isInstanceOf(LibvirtFailure.class).hasMessageStartingWith("cannot connect to qemu+unix:///system");
    }

    @Test
    void nodeDevicesComeBackAsTheSameHostModel() {
        try (LibvirtConnection c = open()) {
            HostSnapshot viaLibvirt = NodeDeviceHost.read(c);
            assertThat(viaLibvirt.facts()).isEqualTo(FactSource.LIBVIRT);
            assertThat(viaLibvirt.devices()).extracting(d -> d.address().toString())
                    .containsExactlyElementsOf(epyc.devices().stream().map(d -> d.address().toString()).toList());
            assertThat(viaLibvirt.groups()).isEqualTo(epyc.groups());
            PciDevice pf = viaLibvirt.device(PciAddress.parse("c1:00.0")).orElseThrow();
            assertThat(pf.sriov().totalVfs()).isEqualTo(128);
            assertThat(pf.sriov().virtfns()).hasSize(4);
            PciDevice vf = viaLibvirt.device(PciAddress.parse("c1:02.0")).orElseThrow();
            assertThat(vf.physfn()).isEqualTo(pf.address());
            PciDevice gpu = viaLibvirt.device(PciAddress.parse("61:00.0")).orElseThrow();
            assertThat(gpu.ids()).isEqualTo("10de:2230");
            assertThat(gpu.classCode()).isEqualTo(0x030000);
            assertThat(gpu.numaNode()).isEqualTo(1);
            assertThat(gpu.link().narrowerThanCapable()).isTrue();
            assertThat(gpu.link().maxWidth()).isEqualTo(16);
            // the T4's vGPU types and its mdev, as libvirt's parser took them (libvirt gives no type description)
            assertThat(viaLibvirt.mdevParents()).extracting(p -> p.name() + " " + p.types().stream()
                            .map(t -> t.id() + "/" + t.name() + "/" + t.deviceApi() + "/" + t.availableInstances()).toList())
                    .containsExactlyElementsOf(epyc.mdevParents().stream().filter(p -> p.pciAddress() != null).map(p -> p.name() + " "
                            + p.types().stream().map(t -> t.id() + "/" + t.name() + "/" + t.deviceApi() + "/" + t.availableInstances()).toList()).toList());
            assertThat(viaLibvirt.mdevParents()).isNotEmpty();
            assertThat(viaLibvirt.mdevs()).isNotEmpty().containsExactlyInAnyOrderElementsOf(epyc.mdevs());
        }
    }

    @Test
    void assignedDevicesNameTheDomainThatHoldsThem() {
        try (LibvirtConnection c = open()) {
            c.define(DOMAIN.formatted("holder"));
            assertThat(AssignedDevices.read(c))
                    .containsEntry(PciAddress.parse("41:00.0"), "holder")
                    .containsEntry(PciAddress.parse("c1:02.1"), "holder");
            c.undefine("holder");
        }
    }

    @Test
    void domainsSurviveToTheNextConnectionThroughTheHostFile() {
        Path file = dir.resolve("persisted-host.xml");
        TestDriverHostFile.write(epyc, file);
        try (LibvirtConnection c = LibvirtConnection.open("test://" + file.toAbsolutePath(), false)) {
            c.define(DOMAIN.formatted("kept-running"));
            c.start("kept-running");
            c.define(DOMAIN.formatted("kept-off").replace("bus='0x41'", "bus='0x21'").replace("function='0x1'/></source>\n                </interface>", "function='0x2'/></source>\n                </interface>"));
            TestDriverHostFile.write(epyc, c.persistedDomains(), file);
        }
        try (LibvirtConnection c = LibvirtConnection.open("test://" + file.toAbsolutePath(), true)) {
            assertThat(c.domains()).extracting(d -> d.name() + "=" + d.state())
                    .containsExactly("kept-off=shut off", "kept-running=running");
            assertThat(c.pciDeviceXmls()).hasSize(epyc.devices().size());
        }
    }

    @Test
    void theTestDriverCannotDetachDevicesAndSaysSo() {
        try (LibvirtConnection c = open()) {
            assertThatThrownBy(() -> c.detach(TestDriverHostFile.nodeDeviceName(PciAddress.parse("61:00.0")), "vfio"))
                    .isInstanceOf(LibvirtFailure.class).hasMessageContaining("cannot detach pci_0000_61_00_0");
            assertThatThrownBy(() -> c.detach("pci_0000_99_00_0", "vfio")).isInstanceOf(LibvirtFailure.class)
                    .hasMessageContaining("no node device pci_0000_99_00_0");
        }
    }

    @Test
    void nodeDeviceNamesFollowLibvirt() {
        assertThat(TestDriverHostFile.nodeDeviceName(PciAddress.parse("0000:c1:02.3"))).isEqualTo("pci_0000_c1_02_3");

    }
}
