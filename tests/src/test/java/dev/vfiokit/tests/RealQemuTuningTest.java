package dev.vfiokit.tests;

import dev.vfiokit.iommucheck.host.HostRoot;
import dev.vfiokit.iommucheck.host.HostSnapshot;
import dev.vfiokit.iommucheck.host.HostSnapshotReader;
import dev.vfiokit.libvirt.LibvirtConnection;
import dev.vfiokit.tuning.RuleCatalogue;
import dev.vfiokit.tuning.RuleOutcome;
import dev.vfiokit.tuning.Tuner;
import dev.vfiokit.tuning.TuningResult;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * virt-install's default Linux guest, tuned with compute-headless on this machine's own facts (no network:
 * its interface is dropped for the test; domain type qemu: KVM is unusable here), is defined and started by a
 * real libvirtd, and QEMU's command line shows the stripped devices absent.
 */
@Tag("libvirtd")
class RealQemuTuningTest {
    @Test
    void qemuStartsTheTunedPeerWithoutTheStrippedDevices() throws Exception {
        String name = "vfiokit-tuned-" + ProcessHandle.current().pid();
        String peer = Peers.virtInstall(name, "debian11", 2, 512)
                .replace("<domain type=\"kvm\">", "<domain type=\"qemu\">")
                .replaceAll("(?s)<interface type=\"network\">.*?</interface>", "");
        HostSnapshot local = new HostSnapshotReader(HostRoot.local()).read("local");
        TuningResult r = new Tuner(RuleCatalogue.builtin()).tune(peer, "compute-headless", local);
        assertThat(r.outcomes()).filteredOn(o -> o.rule().id().equals("cpu-host-passthrough")).first()
                .extracting(RuleOutcome::status).isEqualTo(RuleOutcome.Status.NOT_APPLICABLE);
        String tuned = r.tunedXml().replace("<cpu mode=\"host-passthrough\"/>", "<cpu mode=\"maximum\"/>");
        try (LibvirtConnection c = LibvirtConnection.open("qemu:///system", false)) {
            c.define(tuned);
            try {
                c.start(name);
                String pid = Files.readString(Path.of("/run/libvirt/qemu/" + name + ".pid")).strip();
                String cmdline = Files.readString(Path.of("/proc/" + pid + "/cmdline")).replace('\0', ' ');
                assertThat(cmdline).contains("isa-serial", "virtio-rng-pci");
                assertThat(cmdline).doesNotContain("usb-tablet", "qemu-xhci", "intel-hda", "hda-duplex", "usb-redir", "spice",
                        "virtio-vga", "qxl");
            } finally {
                c.stop(name, true);
                c.undefine(name);
            }
        }
    }
}
