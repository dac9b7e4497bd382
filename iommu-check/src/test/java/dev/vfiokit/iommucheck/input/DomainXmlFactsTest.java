package dev.vfiokit.iommucheck.input;

import dev.vfiokit.iommucheck.host.PciAddress;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;

import static org.assertj.core.api.Assertions.assertThat;

class DomainXmlFactsTest {
    private static Element domain(String devices) {
        return SecureXml.parse("<domain><name>x</name><metadata><hostdev type='pci'><source><address domain='0' bus='0x99' "
                + "slot='0' function='0'/></source></hostdev></metadata><devices>" + devices + "</devices></domain>", "test").getDocumentElement();
    }

    @Test
    void theDevicesADomainTakesAreReadFromItsOwnDevicesOnly() {
        Element d = domain("<hostdev mode='subsystem' type='pci'><source><address domain='0x0000' bus='0x41' slot='0x00' function='0x1'/>"
                + "</source><address type='pci' domain='0' bus='7' slot='0' function='0'/></hostdev>"
                + "<interface type='hostdev'><source><address type='pci' domain='0x0000' bus='0xc1' slot='0x02' function='0x0'/></source></interface>"
                + "<interface type='network'><source network='default'/></interface>"
                + "<hostdev mode='subsystem' type='usb'><source><vendor id='0x1'/></source></hostdev>"
                + "<hostdev mode='subsystem' type='mdev' model='vfio-pci'><source><address uuid='B8A7D9E2-6C1F-4E0A-9D3B-2F6A1C4E5D70'/></source></hostdev>");
        assertThat(DomainXmlFacts.passedPciAddresses(d)).containsExactly(PciAddress.parse("0000:41:00.1"), PciAddress.parse("0000:c1:02.0"));
        assertThat(DomainXmlFacts.mdevUuids(d)).containsExactly("b8a7d9e2-6c1f-4e0a-9d3b-2f6a1c4e5d70");
        assertThat(DomainXmlFacts.passedPciAddresses(domain("<hostdev type='pci'><source><address bus='0x1ff'/></source></hostdev>")))
                .as("an address no host has").isEmpty();
    }
}
