package dev.vfiokit.libvirt;

import dev.vfiokit.iommucheck.host.HostSnapshot;
import dev.vfiokit.iommucheck.host.PciAddress;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Node device XML as libvirt's own tests write it (nodedevschemadata), read into the host model. */
class NodeDeviceHostTest {
    private static final String CAPS = "<capabilities><host><topology><cells num='1'><cell id='0'><cpus num='2'>"
            + "<cpu id='0' socket_id='0' core_id='0' siblings='0-1'/><cpu id='1' socket_id='0' core_id='0' siblings='0-1'/>"
            + "</cpus></cell></cells></topology></host></capabilities>";

    private static String device(String name, int bus, int function, String inner) {
        return "<device><name>" + name + "</name><capability type='pci'><class>0x028000</class><domain>0</domain><bus>" + bus
                + "</bus><slot>0</slot><function>" + function + "</function><product id='0x4238'>Centrino</product>"
                + "<vendor id='0x8086'>Intel</vendor>" + inner + "</capability></device>";
    }

    @Test
    void anIommuGroupHoldsEveryMemberLibvirtListsNotOnlyTheDevicesOfTheList() {
        // pci_8086_4238_pcie_wireless: eight members in the group, one device in the list
        String group = "<iommuGroup number='8'><address domain='0x0000' bus='0x00' slot='0x1c' function='0x0'/>"
                + "<address domain='0x0000' bus='0x03' slot='0x00' function='0x0'/>"
                + "<address domain='0x0000' bus='0x0d' slot='0x00' function='0x1'/></iommuGroup>";
        HostSnapshot h = NodeDeviceHost.fromXml("test:///t", List.of(device("pci_0000_03_00_0", 3, 0, group)), CAPS);
        assertThat(h.groups()).singleElement().satisfies(g -> assertThat(g.members()).containsExactly(
                PciAddress.parse("00:1c.0"), PciAddress.parse("03:00.0"), PciAddress.parse("0d:00.1")));
        assertThat(h.cpuThreads()).hasSize(2);
    }

    @Test
    void eachCellsMemoryIsTheNodesAndACellWithoutOneLeavesTheHostsMemoryUnknown() {
        // as virsh capabilities writes a cell (libvirt's vircaps2xmldata): <memory unit='KiB'> before <pages>
        String two = "<capabilities><host><topology><cells num='2'>"
                + "<cell id='0'><memory unit='KiB'>65738628</memory><pages unit='KiB' size='4'>16434657</pages><cpus num='1'>"
                + "<cpu id='0' socket_id='0' core_id='0' siblings='0'/></cpus></cell>"
                + "<cell id='1'><memory unit='GiB'>64</memory><cpus num='1'><cpu id='1' socket_id='0' core_id='1' siblings='1'/></cpus></cell>"
                + "</cells></topology></host></capabilities>";
        HostSnapshot h = NodeDeviceHost.fromXml("test:///t", List.of(), two);
        assertThat(h.numaNodes()).extracting(n -> n.memoryKib()).containsExactly(65738628L, 67108864L);
        assertThat(h.memoryKib()).isEqualTo(65738628L + 67108864L);
        // libvirt's test driver writes cells without memory: not known, so nothing is judged by it
        assertThat(NodeDeviceHost.fromXml("test:///t", List.of(), CAPS).memoryKib()).isZero();
        assertThat(NodeDeviceHost.fromXml("test:///t", List.of(), two.replace(">64<", ">lots<")).memoryKib()).isZero();
    }

    @Test
    void theMemoryOfDomainsPassingVfioDevicesIsLockedAndOfOthersNot() {
        java.util.Map<String, org.w3c.dom.Element> defined = new java.util.LinkedHashMap<>();
        defined.put("gpu", LibvirtXml.parse("<domain type='kvm'><name>gpu</name><memory unit='GiB'>16</memory><devices>"
                + "<hostdev mode='subsystem' type='pci'><source><address domain='0' bus='0x41' slot='0' function='0'/></source></hostdev>"
                + "</devices></domain>"));
        defined.put("vgpu", LibvirtXml.parse("<domain type='kvm'><name>vgpu</name><memory>8388608</memory><devices>"
                + "<hostdev mode='subsystem' type='mdev' model='vfio-pci'><source><address uuid='b8a7d9e2-6c1f-4e0a-9d3b-2f6a1c4e5d70'/>"
                + "</source></hostdev></devices></domain>"));
        defined.put("plain", LibvirtXml.parse("<domain type='kvm'><name>plain</name><memory unit='GiB'>64</memory><devices/></domain>"));
        assertThat(AssignedDevices.lockedMemory(defined)).containsExactly(java.util.Map.entry("gpu", 16777216L),
                java.util.Map.entry("vgpu", 8388608L));
    }

    @Test
    void aLinkThatIsDownReadsAsUnknownSpeedAsSysfsSaysIt() {
        String link = "<pci-express><link validity='cap' port='0' speed='2.5' width='4'/><link validity='sta' width='0'/></pci-express>";
        HostSnapshot h = NodeDeviceHost.fromXml("test:///t", List.of(device("pci_0000_02_00_0", 2, 0, link)), CAPS);
        assertThat(h.devices().get(0).link().currentSpeed()).isEqualTo("Unknown");
        assertThat(h.devices().get(0).link().maxSpeed()).isEqualTo("2.5 GT/s PCIe");
    }

    @Test
    void aDeviceWhoseAddressIsOutOfPciRangeIsRefusedInOneLineNamingIt() {
        // pci_0000_00_02_0_header_type: bus 4294967295
        assertThatThrownBy(() -> NodeDeviceHost.fromXml("test:///t", List.of(device("pci_0000_00_02_0", -1, 0, "")
                .replace("<bus>-1</bus>", "<bus>4294967295</bus>")), CAPS))
                .isInstanceOf(LibvirtFailure.class)
                .hasMessageStartingWith("libvirt described node device pci_0000_00_02_0 with a value vfiokit cannot read:")
                .hasMessageEndingWith("<bus>4294967295</bus> is not a number below 2^31");
        assertThatThrownBy(() -> NodeDeviceHost.fromXml("test:///t", List.of(device("pci_1180_476", 21, 50, "")), CAPS))
                .isInstanceOf(LibvirtFailure.class).hasMessageContaining("pci_1180_476").hasMessageContaining("function=50");
    }

    @Test
    void twoNodeDevicesAtOneAddressAreRefusedInOneLineNamingBoth() {
        // nova's test_config: pci_0000_33_00_0 says bus 9, as pci_0000_09_00_0 does
        assertThatThrownBy(() -> NodeDeviceHost.fromXml("test:///t", List.of(device("pci_0000_09_00_0", 9, 0, ""),
                device("pci_0000_33_00_0", 9, 0, "")), CAPS))
                .isInstanceOf(LibvirtFailure.class)
                .hasMessage("libvirt listed two node devices at 0000:09:00.0 (pci_0000_09_00_0 and pci_0000_33_00_0)");
    }

    @Test
    void virtualFunctionsListedWithoutMaxCountMakeAPhysicalFunctionOfAtLeastThatMany() {
        // libvirt before 1.3 (nova's libvirt_data pci_0000_04_00_3): the enabled VFs, no maxCount
        String vfs = "<capability type='virt_functions'><address domain='0x0000' bus='0x04' slot='0x10' function='0x3'/>"
                + "<address domain='0x0000' bus='0x04' slot='0x10' function='0x7'/></capability>";
        HostSnapshot h = NodeDeviceHost.fromXml("test:///t", List.of(device("pci_0000_04_00_3", 4, 3, vfs)), CAPS);
        assertThat(h.devices().get(0).isSriovPhysicalFunction()).isTrue();
        assertThat(h.devices().get(0).sriov().totalVfs()).isEqualTo(2);
        assertThat(h.devices().get(0).sriov().numVfs()).isEqualTo(2);
        // a VF of that libvirt carried an empty virt_functions: not a PF
        HostSnapshot vf = NodeDeviceHost.fromXml("test:///t", List.of(device("pci_0000_04_10_7", 4, 7,
                "<capability type='phys_function'><address domain='0x0000' bus='0x04' slot='0x00' function='0x3'/></capability>"
                        + "<capability type='virt_functions'></capability>")), CAPS);
        assertThat(vf.devices().get(0).isSriovPhysicalFunction()).isFalse();
        assertThat(vf.devices().get(0).physfn()).isEqualTo(PciAddress.parse("04:00.3"));
    }

    @Test
    void mdevTypesOfAPciDeviceAndTheMdevsMadeFromThemAreReadAsSysfsWouldGiveThem() {
        // nova's libvirt_data: a GRID M60 whose name does not spell its address, and an mdev of it in both name forms
        String types = "<capability type='mdev_types'><type id='nvidia-11'><name>GRID M60-0B</name><deviceAPI>vfio-pci</deviceAPI>"
                + "<availableInstances>16</availableInstances></type><type id='nvidia-12'><deviceAPI>vfio-pci</deviceAPI>"
                + "<availableInstances>0</availableInstances></type></capability>";
        String gpu = device("pci_0000_06_00_0", 10, 5, types).replace("<name>pci_0000_06_00_0</name>",
                "<name>pci_0000_06_00_0</name><path>/sys/devices/pci0000:00/0000:0a:00.5</path>");
        String older = "<device><name>mdev_4b20d080_1b54_4048_85b3_a6a62d165c01</name><parent>pci_0000_06_00_0</parent>"
                + "<capability type='mdev'><type id='nvidia-11'/><iommuGroup number='12'/></capability></device>";
        String newer = "<device><name>mdev_b2107403_110c_45b0_af87_32cc91597b8a_0000_41_00_0</name><parent>pci_0000_41_00_0</parent>"
                + "<capability type='mdev'><type id='nvidia-442'/><uuid>b2107403-110c-45b0-af87-32cc91597b8a</uuid>"
                + "<iommuGroup number='13'/></capability></device>";
        HostSnapshot h = NodeDeviceHost.fromXml("test:///t", List.of(older, gpu, newer), CAPS);
        assertThat(h.devices()).singleElement().satisfies(d -> assertThat(d.mdevTypes()).extracting(t -> t.id() + "/" + t.name()
                + "/" + t.deviceApi() + "/" + t.availableInstances()).containsExactly("nvidia-11/GRID M60-0B/vfio-pci/16",
                "nvidia-12/nvidia-12/vfio-pci/0"));
        assertThat(h.mdevParents()).singleElement().satisfies(p -> {
            assertThat(p.name()).isEqualTo("0000:0a:00.5");
            assertThat(p.pciAddress()).isEqualTo(PciAddress.parse("0a:00.5"));
            assertThat(p.sysfsPath()).isEqualTo("/sys/devices/pci0000:00/0000:0a:00.5");
            assertThat(p.types()).hasSize(2);
        });
        assertThat(h.mdevs()).containsExactly(
                new dev.vfiokit.iommucheck.host.MediatedDevice("4b20d080-1b54-4048-85b3-a6a62d165c01", "0000:0a:00.5", "nvidia-11", 12),
                new dev.vfiokit.iommucheck.host.MediatedDevice("b2107403-110c-45b0-af87-32cc91597b8a", "0000:41:00.0", "nvidia-442", 13));
        // libvirt's nodedevmdevctldata: the parent's sysfs name written out, which wins over the node device's name
        String css = "<device><name>mdev_200f228a_c80a_4d50_bfb7_f5a0e4e34045_0_0_0052</name><parent>css_0_0_0052</parent>"
                + "<capability type='mdev'><type id='vfio_ccw-io'/><uuid>200f228a-c80a-4d50-bfb7-f5a0e4e34045</uuid>"
                + "<parent_addr>0.0.0052</parent_addr><iommuGroup number='0'/></capability></device>";
        assertThat(NodeDeviceHost.fromXml("test:///t", List.of(css), CAPS).mdevs()).containsExactly(
                new dev.vfiokit.iommucheck.host.MediatedDevice("200f228a-c80a-4d50-bfb7-f5a0e4e34045", "0.0.0052", "vfio_ccw-io", 0));
        // neither a <uuid> nor one in the name: refused in one line naming it, as an unreadable number is
        assertThatThrownBy(() -> NodeDeviceHost.fromXml("test:///t", List.of("<device><name>mdev_x</name><parent>pci_0000_41_00_0</parent>"
                + "<capability type='mdev'><type id='nvidia-442'/><iommuGroup number='13'/></capability></device>"), CAPS))
                .isInstanceOf(LibvirtFailure.class)
                .hasMessage("libvirt described node device mdev_x with a value vfiokit cannot read: an mdev with neither <uuid> nor a UUID in its name");
    }
}
