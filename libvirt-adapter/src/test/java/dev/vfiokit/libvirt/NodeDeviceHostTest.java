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
}
