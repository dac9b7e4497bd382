package dev.vfiokit.tests;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** tune as scripts use it: a file with --diff/--json, and a libvirt domain with --apply and tune undo. */
class TuneCliTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String GUEST = """
            <domain type="kvm">
              <name>desk-1</name>
              <memory unit="GiB">8</memory>
              <vcpu>8</vcpu>
              <os><type arch="x86_64" machine="q35">hvm</type></os>
              <features><acpi/><apic/></features>
              <devices>
                <controller type="usb" model="qemu-xhci"/>
                <input type="tablet" bus="usb"/>
                <graphics type="vnc" autoport="yes"/>
                <video><model type="virtio"/></video>
                <sound model="ich9"/>
                <hostdev mode="subsystem" type="pci" managed="yes">
                  <source><address domain="0x0000" bus="0x01" slot="0x00" function="0x0"/></source>
                </hostdev>
                <memballoon model="virtio"/>
              </devices>
            </domain>
            """;

    @TempDir
    Path tmp;

    @Test
    void tuneAFileAsDiffAndJsonThenApplyToALibvirtDomainAndUndo() throws Exception {
        Map<String, String> env = Map.of("XDG_CACHE_HOME", tmp.resolve("cache").toString(),
                "XDG_STATE_HOME", tmp.resolve("state").toString(), "XDG_CONFIG_HOME", tmp.resolve("config").toString());
        Path file = tmp.resolve("desk-1.xml");
        Files.writeString(file, GUEST);

        Cli.Result diff = Cli.run(env, "tune", "--file", file.toString(), "--profile", "gpu-desktop", "--host", "demo", "--diff", "--hide-kvm");
        assertThat(diff.exitCode()).as(diff.err()).isZero();
        assertThat(diff.out()).as("the tablet stays beside VNC").doesNotContain("-    <input type=\"tablet\"");
        assertThat(diff.out()).startsWith("--- original").contains("-    <sound model=\"ich9\"/>",
                "+  <features><acpi/><apic/><vmport state=\"off\"/><kvm><hint-dedicated state=\"on\"/><hidden state=\"on\"/></kvm>", "+    <memory mode=\"strict\" nodeset=\"0\"/>");

        JsonNode j = JSON.readTree(Cli.run(env, "tune", "--file", file.toString(), "--profile", "gpu-desktop", "--host", "demo", "--json").out());
        assertThat(j.get("changed").asBoolean()).isTrue();
        assertThat(j.get("rules").get(0).fieldNames()).toIterable()
                .containsExactly("id", "title", "status", "changes", "reason", "rationale");
        assertThat(j.get("rules").findValuesAsText("status")).contains("APPLIED", "NOT_APPLICABLE");

        assertThat(Cli.run(env, "domain", "define", "--file", file.toString(), "--host", "demo").exitCode()).isZero();
        Cli.Result apply = Cli.run(env, "tune", "--domain", "desk-1", "--profile", "gpu-desktop", "--host", "demo", "--apply");
        assertThat(apply.exitCode()).as(apply.err()).isZero();
        assertThat(apply.out()).contains("redefined desk-1", "tune undo --domain desk-1", "QEMU's driver did not judge this domain");
        String tuned = Cli.run(env, "domain", "dumpxml", "--name", "desk-1", "--inactive", "--host", "demo").out();
        assertThat(tuned).doesNotContain("<sound").contains("vcpupin");
        assertThat(Cli.run(env, "tune", "--domain", "desk-1", "--profile", "gpu-desktop", "--host", "demo", "--apply").out())
                .contains("already tuned");

        Cli.Result undo = Cli.run(env, "tune", "undo", "--domain", "desk-1", "--host", "demo");
        assertThat(undo.exitCode()).as(undo.err()).isZero();
        String back = Cli.run(env, "domain", "dumpxml", "--name", "desk-1", "--inactive", "--host", "demo").out();
        assertThat(back).contains("<sound").doesNotContain("vcpupin");
        assertThat(Cli.run(env, "tune", "undo", "--domain", "desk-1", "--host", "demo").exitCode()).isEqualTo(65);

        // a kept definition never lands on another domain of the same name
        assertThat(Cli.run(env, "tune", "--domain", "desk-1", "--profile", "gpu-desktop", "--host", "demo", "--apply").exitCode()).isZero();
        assertThat(Cli.run(env, "domain", "undefine", "--name", "desk-1", "--host", "demo").exitCode()).isZero();
        Path other = tmp.resolve("other.xml");
        Files.writeString(other, GUEST.replaceFirst("<uuid>[^<]*</uuid>", "").replace("<name>desk-1</name>",
                "<name>desk-1</name><uuid>0b9d3c4e-1111-2222-3333-444455556666</uuid>"));
        assertThat(Cli.run(env, "domain", "define", "--file", other.toString(), "--host", "demo").exitCode()).isZero();
        Cli.Result elsewhere = Cli.run(env, "tune", "undo", "--domain", "desk-1", "--host", "demo");
        assertThat(elsewhere.exitCode()).isEqualTo(65);
        assertThat(elsewhere.err()).contains("desk-1 on test://", "is another domain now (UUID 0b9d3c4e-1111-2222-3333-444455556666");

        Cli.Result bad = Cli.run(env, "tune", "--file", file.toString(), "--profile", "fastest");
        assertThat(bad.exitCode()).isEqualTo(64);
        assertThat(bad.err()).contains("unknown profile 'fastest'");
    }

    @Test
    void twoGuestsTunedOnOneHostNeverShareACpu() throws Exception {
        Map<String, String> env = Map.of("XDG_CACHE_HOME", tmp.resolve("cache").toString(),
                "XDG_STATE_HOME", tmp.resolve("state").toString(), "XDG_CONFIG_HOME", tmp.resolve("config").toString());
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (String name : java.util.List.of("pin-a", "pin-b")) {
            Path file = Files.writeString(tmp.resolve(name + ".xml"), GUEST.replace("desk-1", name));
            assertThat(Cli.run(env, "domain", "define", "--file", file.toString(), "--host", "demo").exitCode()).isZero();
            Cli.Result apply = Cli.run(env, "tune", "--domain", name, "--profile", "compute-headless", "--host", "demo", "--apply");
            assertThat(apply.exitCode()).as(apply.err()).isZero();
            String xml = Cli.run(env, "domain", "dumpxml", "--name", name, "--inactive", "--host", "demo").out();
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("<vcpupin vcpu='\\d+' cpuset='(\\d+)'/>").matcher(xml);
            int n = 0;
            while (m.find()) {
                assertThat(seen.add(m.group(1))).as(name + " gets CPU " + m.group(1) + " that the other guest has").isTrue();
                n++;
            }
            assertThat(n).as(name + " is pinned").isEqualTo(8);
        }
    }
}
