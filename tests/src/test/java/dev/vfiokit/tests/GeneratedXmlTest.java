package dev.vfiokit.tests;

import dev.vfiokit.iommucheck.fixture.FixtureHosts;
import dev.vfiokit.iommucheck.host.HostRoot;
import dev.vfiokit.iommucheck.host.HostSnapshot;
import dev.vfiokit.iommucheck.host.HostSnapshotReader;
import dev.vfiokit.iommucheck.host.PciAddress;
import dev.vfiokit.libvirt.AssignedDevices;
import dev.vfiokit.libvirt.LibvirtConnection;
import dev.vfiokit.libvirt.TestDriverHostFile;
import dev.vfiokit.templates.DomainGenerator;
import dev.vfiokit.templates.DomainRequest;
import dev.vfiokit.templates.GeneratedDomain;
import dev.vfiokit.templates.TemplateCatalogue;
import dev.vfiokit.templates.VfPoolNetwork;
import dev.vfiokit.templates.VfRequest;
import dev.vfiokit.templates.xml.Domain;
import dev.vfiokit.templates.xml.DomainXml;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every kind of XML vfiokit writes passes libvirt's schema (virt-xml-validate), is accepted by libvirt (test
 * driver, with validation), and comes back from libvirt with the devices we asked for.
 */
class GeneratedXmlTest {
    @TempDir
    static Path dir;

    static HostSnapshot demo;
    static Path hostFile;
    static final TemplateCatalogue CATALOGUE = TemplateCatalogue.builtin();

    @BeforeAll
    static void host() {
        FixtureHosts.epycServer().writeTo(dir.resolve("demo"));
        demo = new HostSnapshotReader(new HostRoot(dir.resolve("demo"))).read("demo");
        hostFile = TestDriverHostFile.write(demo, dir.resolve("demo-host.xml"));
    }

    static Stream<Arguments> requests() {
        return Stream.of(
                Arguments.of("gpu-compute, one multifunction GPU", req("gpu-compute", "gc-1", List.of("41:00.0"), List.of(), List.of(), Map.of())),
                Arguments.of("gpu-compute, two GPUs, BIOS", req("gpu-compute", "gc-2", List.of("01:00.0", "21:00.0"), List.of(), List.of(), Map.of("firmware", "bios"))),
                Arguments.of("gpu-workstation with romfile", new DomainRequest("gpu-workstation", "ws-1", "kvm", 12, "24GiB",
                        "/var/lib/libvirt/images/ws-1.qcow2", List.of(PciAddress.parse("61:00.0")), List.of(), List.of(), false,
                        "/usr/share/vgabios/a6000.rom", false, Map.of("vendor_id", "abc123"))),
                Arguments.of("sriov-nfv, VFs by netdev, address, plain hostdev", req("sriov-nfv", "nfv-1", List.of(),
                        List.of("ens1f0np0,vlan=42", "0000:c1:02.3,mac=02:11:22:33:44:55", "ens1f0np0,vf=1,mode=hostdev"), List.of(), Map.of("hugepage_size", "1024"))),
                Arguments.of("vgpu-desktop with an mdev", req("vgpu-desktop", "vd-1", List.of(), List.of(),
                        List.of("4b20d080-1b54-4048-85b3-a6a62d165c01"), Map.of())),
                Arguments.of("a name needing escapes", req("gpu-compute", "Ünï \"q\" & <a> 'x'", List.of("21:00.0"), List.of(), List.of(), Map.of())),
                Arguments.of("type qemu (TCG)", new DomainRequest("gpu-compute", "tcg-1", "qemu", 2, "1GiB", null, List.of(),
                        List.of(), List.of(), false, null, false, Map.of())));
    }

    private static DomainRequest req(String t, String name, List<String> pci, List<String> vfs, List<String> mdevs, Map<String, String> params) {
        return new DomainRequest(t, name, "kvm", null, null, null, pci.stream().map(PciAddress::parse).toList(),
                vfs.stream().map(VfRequest::parse).toList(), mdevs, true, null, false, params);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("requests")
    void passesLibvirtsSchemaDefinesAndDumpsBackWithItsDevices(String label, DomainRequest r) throws Exception {
        GeneratedDomain g = new DomainGenerator(demo, Map.of()).generate(CATALOGUE.get(r.template()), r);
        assertThat(VirtXmlValidate.problems(g.xml(), "domain")).as(label).isNull();
        try (LibvirtConnection c = LibvirtConnection.open("test://" + hostFile.toAbsolutePath(), false)) {
            c.define(g.xml());
            String back = c.dumpXml(r.name(), true);
            Domain dumped = DomainXml.read(back);
            assertThat(dumped.name).isEqualTo(r.name());
            assertThat(dumped.uuid).isEqualTo(g.domain().uuid);
            assertThat(dumped.vcpu.count).isEqualTo(g.domain().vcpu.count);
            assertThat(dumped.memory.value).isEqualTo(g.domain().memory.value);
            // every host device we passed is in libvirt's definition, at the guest address we chose
            assertThat(AssignedDevices.read(c).keySet()).containsExactlyInAnyOrderElementsOf(
                    Stream.concat(g.domain().devices.hostdevs.stream().filter(h -> "pci".equals(h.type)).map(h -> h.source.address.toPciAddress()),
                            g.domain().devices.interfaces.stream().filter(i -> "hostdev".equals(i.type)).map(i -> i.source.address.toPciAddress())).toList());
            assertThat(dumped.devices.hostdevs).extracting(h -> h.address == null ? null : h.address.bus + "/" + h.address.function)
                    .containsExactlyElementsOf(g.domain().devices.hostdevs.stream()
                            .map(h -> h.address == null ? null : h.address.bus + "/" + h.address.function).toList());
            // the VFs keep the MACs we chose (a template's network NIC gets one from libvirt)
            assertThat(dumped.devices.interfaces.stream().filter(i -> "hostdev".equals(i.type)).map(i -> i.mac.address).toList())
                    .containsExactlyElementsOf(g.domain().devices.interfaces.stream().filter(i -> "hostdev".equals(i.type)).map(i -> i.mac.address).toList());
            c.undefine(r.name());
        }
    }

    @Test
    void theVfPoolNetworkPassesLibvirtsNetworkSchema() throws Exception {
        String xml = VfPoolNetwork.xml(demo, "e810 pool & co", "ens1f0np0");
        assertThat(VirtXmlValidate.problems(xml, "network")).isNull();
        try (LibvirtConnection c = LibvirtConnection.open("test://" + hostFile.toAbsolutePath(), false)) {
            assertThat(c.defineNetwork(xml)).isEqualTo("e810 pool & co");
        }
    }

    @Test
    void theSchemaCheckRejectsBrokenXml() throws Exception {
        assertThat(VirtXmlValidate.problems("<domain type='kvm'><name>x</name><memory>lots</memory></domain>", "domain")).isNotNull();
    }
}
