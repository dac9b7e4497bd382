package dev.vfiokit.libvirt;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** URIs are checked before libvirt sees them: no libvirt needed here. */
class LibvirtUriTest {
    @TempDir
    Path dir;

    @Test
    void theTransportsAdminsUseAreAccepted() {
        for (String u : new String[] {"qemu:///system", "qemu:///session", "qemu+ssh://root@10.0.0.2/system?keyfile=/root/.ssh/k",
                "qemu+tls://gpu1.example/system", "qemu+unix:///system?socket=/run/libvirt/libvirt-sock", "test:///default"}) {
            assertThat(LibvirtUri.parse(u).value()).isEqualTo(u);
        }
    }

    @Test
    void otherSchemesAndMalformedUrisAreUsageErrors() {
        assertThatThrownBy(() -> LibvirtUri.parse("xen:///system")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("vfiokit connects with qemu");
        assertThatThrownBy(() -> LibvirtUri.parse("qemu+ext:///system?command=/bin/sh")).hasMessageContaining("vfiokit connects with");
        assertThatThrownBy(() -> LibvirtUri.parse("not a uri")).hasMessageContaining("libvirt URI");
        assertThatThrownBy(() -> LibvirtUri.parse("test://host/x.xml")).hasMessageContaining("test:///default or test:///ABSOLUTE");
    }

    @Test
    void aTestDriverFileIsReadByVfiokitAndNeverQuoted() throws Exception {
        Path secret = Files.writeString(dir.resolve("s.txt"), "TOPSECRET line\n");
        assertThatThrownBy(() -> LibvirtUri.parse("test://" + secret)).hasMessage("cannot read the test driver file " + secret
                + " (a libvirt test-driver host description, <node>, is expected)");
        Path other = Files.writeString(dir.resolve("o.xml"), "<secret>TOPSECRET</secret>");
        assertThatThrownBy(() -> LibvirtUri.parse("test://" + other)).hasMessageNotContaining("TOPSECRET");
        Path node = Files.writeString(dir.resolve("n.xml"), "<node><cpu><mhz>1</mhz></cpu></node>");
        assertThat(LibvirtUri.parse("test://" + node).testFile()).isEqualTo(node);
    }
}
