package dev.vfiokit.iommucheck;

import dev.vfiokit.iommucheck.host.PciAddress;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PciAddressTest {
    @Test
    void parsesFullAndShortForms() {
        assertThat(PciAddress.parse("0000:01:00.0")).isEqualTo(new PciAddress(0, 1, 0, 0));
        assertThat(PciAddress.parse("c1:02.3")).isEqualTo(new PciAddress(0, 0xc1, 2, 3));
        assertThat(PciAddress.parse("10000:01:00.0".substring(1))).hasToString("0000:01:00.0");
        assertThat(PciAddress.parse("0001:AF:1f.7")).hasToString("0001:af:1f.7");
    }

    @Test
    void rejectsMalformedAddressesWithTheExpectedForm() {
        for (String bad : new String[] {"", "01:00", "0000:01:00.8", "0000:01:20.0", "zz:00.0", "eth0", "0000:01:00.0x"}) {
            assertThatThrownBy(() -> PciAddress.parse(bad)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("not a PCI address").hasMessageContaining("0000:01:00.0");
        }
    }

    @Test
    void ordersByDomainBusSlotFunctionAndKnowsItsSlot() {
        PciAddress a = PciAddress.parse("01:00.0");
        PciAddress b = PciAddress.parse("01:00.1");
        PciAddress c = PciAddress.parse("02:00.0");
        assertThat(a).isLessThan(b);
        assertThat(b).isLessThan(c);
        assertThat(a.sameSlot(b)).isTrue();
        assertThat(a.sameSlot(c)).isFalse();
        assertThat(a.withFunction(3)).hasToString("0000:01:00.3");
    }

    @Test
    void writesAndReadsEveryAddressAsThePatternAndFormatDid() {
        java.util.Random r = new java.util.Random(7);
        for (int i = 0; i < 2000; i++) {
            PciAddress a = new PciAddress(r.nextInt(0x10000), r.nextInt(0x100), r.nextInt(0x20), r.nextInt(8));
            String formatted = String.format("%04x:%02x:%02x.%x", a.domain(), a.bus(), a.slot(), a.function());
            assertThat(a).hasToString(formatted);
            assertThat(PciAddress.parse(formatted)).isEqualTo(a);
            assertThat(PciAddress.parse(formatted.toUpperCase())).isEqualTo(a);
            assertThat(PciAddress.looksLike(formatted)).isTrue();
        }
        assertThat(PciAddress.looksLike("0000:01:00.8")).isFalse();
        assertThat(PciAddress.looksLike("0000:01:0g.0")).isFalse();
        assertThat(PciAddress.looksLike(" 0000:01:00.0 ")).isTrue();
        assertThat(PciAddress.looksLike("0000-01:00.0")).isFalse();
    }
}
