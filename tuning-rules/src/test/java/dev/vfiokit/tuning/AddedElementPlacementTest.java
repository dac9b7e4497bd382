package dev.vfiokit.tuning;

import dev.vfiokit.iommucheck.fixture.FixtureHosts;
import dev.vfiokit.iommucheck.host.HostRoot;
import dev.vfiokit.iommucheck.host.HostSnapshot;
import dev.vfiokit.iommucheck.host.HostSnapshotReader;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Where the elements rules add to a domain go: where libvirt writes them, whatever order the input's own elements
 * are in (libxml2's validator, which virsh define --validate uses, refused a tuned domain whose input put
 * {@code <clock>} among the on_* elements once {@code <cputune>} was appended after {@code <devices>}); and the
 * SPICE display stays for a serial port carried over SPICE.
 */
class AddedElementPlacementTest {
    @TempDir
    static Path dir;
    static HostSnapshot epyc;

    /** libvirt 11.3's tests/qemuxmlconfdata/schema-reorder-domain-subelements.xml, cut down: clock between on_* elements. */
    private static final String REORDERED = """
            <domain type='kvm'>
              <uuid>d79698e0-46b2-4459-87ee-7c762990dd6e</uuid>
              <name>reordered</name>
              <memory unit='KiB'>16777216</memory>
              <vcpu placement='static'>4</vcpu>
              <os>
                <type arch='x86_64' machine='q35'>hvm</type>
              </os>
              <on_poweroff>destroy</on_poweroff>
              <clock offset='utc'/>
              <on_reboot>restart</on_reboot>
              <devices>
                <emulator>/usr/bin/qemu-system-x86_64</emulator>
              </devices>
            </domain>
            """;

    @BeforeAll
    static void host() {
        FixtureHosts.epycServer().writeTo(dir.resolve("epyc"));
        epyc = new HostSnapshotReader(new HostRoot(dir.resolve("epyc"))).read("epyc");
    }

    private static String tune(String xml, String... rules) {
        return new Tuner(RuleCatalogue.builtin()).tune(xml, new Profile("only", "", Set.of("headless"), List.of(rules), "test"), epyc).tunedXml();
    }

    private static List<String> topLevel(String xml) {
        return java.util.regex.Pattern.compile("(?m)^  <([A-Za-z_]+)").matcher(xml).results().map(m -> m.group(1)).toList();
    }

    @Test
    void pinningAndIothreadsGoWhereLibvirtWritesThemNotAfterTheDevices() {
        String gpu = """
                    <hostdev mode='subsystem' type='pci' managed='yes'>
                      <source>
                        <address domain='0x0000' bus='0x41' slot='0x00' function='0x0'/>
                      </source>
                    </hostdev>
                    <disk type='file' device='disk'>
                      <source file='/var/lib/libvirt/images/a.qcow2'/>
                      <target dev='vda' bus='virtio'/>
                    </disk>
                """;
        String xml = REORDERED.replace("<emulator>/usr/bin/qemu-system-x86_64</emulator>\n", "<emulator>/usr/bin/qemu-system-x86_64</emulator>\n" + gpu.indent(4));
        String tuned = tune(xml, "vcpu-pinning", "disk-iothread", "vmport-off");
        assertThat(topLevel(tuned)).containsExactly("uuid", "name", "memory", "vcpu", "iothreads", "cputune", "numatune",
                "os", "features", "on_poweroff", "clock", "on_reboot", "devices");
    }

    @Test
    void aFirstKnownElementGoesBeforeTheOneItPrecedesAndUnknownOnesAreLeftWhereTheyAre() {
        String xml = "<domain type='kvm'>\n  <x:app xmlns:x='urn:x'/>\n  <devices/>\n</domain>\n";
        org.w3c.dom.Document d = DomXml.parse(xml, null);
        org.w3c.dom.Element domain = d.getDocumentElement();
        DomXml.ensureChild(domain, "features");
        DomXml.ensureChild(domain, "name").setTextContent("n");
        DomXml.ensureChild(domain, "seclabel");
        assertThat(DomXml.write(d)).isEqualTo(
                "<domain type='kvm'>\n  <x:app xmlns:x='urn:x'/>\n  <name>n</name>\n  <features/>\n  <devices/>\n  <seclabel/>\n</domain>\n");
        // not under <domain>: appended, as before
        org.w3c.dom.Element devices = DomXml.child(domain, "devices");
        DomXml.ensureChild(devices, "memballoon");
        DomXml.ensureChild(devices, "emulator");
        assertThat(DomXml.children(devices, null).stream().map(org.w3c.dom.Element::getTagName).toList()).containsExactly("memballoon", "emulator");
    }

    @Test
    void aHeadlessGuestKeepsSpiceGraphicsWhileItsSerialConsoleGoesOverSpiceAndLosesSpiceportChannels() {
        String devices = """
                    <serial type='spiceport'>
                      <source channel='org.qemu.console.serial.0'/>
                      <target port='0'/>
                    </serial>
                    <channel type='spiceport'>
                      <source channel='test.channel.0'/>
                      <target type='virtio' name='chardev-spiceport'/>
                    </channel>
                    <graphics type='spice' autoport='yes'/>
                    <video>
                      <model type='qxl'/>
                    </video>
                    <hostdev mode='subsystem' type='mdev' model='vfio-pci' display='on'>
                      <source>
                        <address uuid='c2177883-f1bb-47f0-914d-32a22e3a8804'/>
                      </source>
                    </hostdev>
                """;
        String xml = REORDERED.replace("<emulator>/usr/bin/qemu-system-x86_64</emulator>\n", "<emulator>/usr/bin/qemu-system-x86_64</emulator>\n" + devices.indent(4));
        String tuned = tune(xml, "headless-no-graphics");
        assertThat(tuned).contains("<serial type='spiceport'>", "<graphics type='spice'", "<model type='qxl'/>")
                .doesNotContain("<channel type='spiceport'>");
        // the vGPU goes on driving the display that stays
        assertThat(tuned).contains("display='on'").doesNotContain("display='off'", "ramfb");
        // without the SPICE serial port, the display goes
        String plain = tune(xml.replaceAll("(?s)\\s*<serial type='spiceport'>.*?</serial>", ""), "headless-no-graphics");
        assertThat(plain).doesNotContain("<graphics", "<video", "<channel type='spiceport'>", "display='on'").contains("display='off'", "ramfb='off'");
    }
}
