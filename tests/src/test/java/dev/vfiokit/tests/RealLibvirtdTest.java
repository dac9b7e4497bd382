package dev.vfiokit.tests;

import dev.vfiokit.iommucheck.host.HostRoot;
import dev.vfiokit.iommucheck.host.HostSnapshot;
import dev.vfiokit.iommucheck.host.HostSnapshotReader;
import dev.vfiokit.libvirt.LibvirtConnection;
import dev.vfiokit.templates.DomainGenerator;
import dev.vfiokit.templates.DomainRequest;
import dev.vfiokit.templates.GeneratedDomain;
import dev.vfiokit.templates.TemplateCatalogue;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A real libvirtd + QEMU (qemu:///system, domain type qemu: KVM is not usable on these machines) defines and
 * starts the generated gpu-compute domain without host devices, and QEMU's command line has what the template
 * asks for and nothing it strips. tests/run-all starts libvirtd.
 */
@Tag("libvirtd")
class RealLibvirtdTest {
    @Test
    void qemuRunsTheGeneratedGpuComputeDomainWithExactlyItsDevices() throws Exception {
        HostSnapshot local = new HostSnapshotReader(HostRoot.local()).read("local");
        String name = "vfiokit-it-" + ProcessHandle.current().pid();
        // no NIC: libvirt's default network is defined but not started on a fresh Debian host
        DomainRequest r = new DomainRequest("gpu-compute", name, "qemu", 1, "512MiB", null, List.of(), List.of(), List.of(),
                false, null, false, Map.of("network", "none"));
        GeneratedDomain g = new DomainGenerator(local, Map.of()).generate(TemplateCatalogue.builtin().get("gpu-compute"), r);
        try (LibvirtConnection c = LibvirtConnection.open("qemu:///system", false)) {
            assertThat(c.bestDomainType()).isIn("kvm", "qemu");
            // the same answer read-only: a plan reads a host read-only, apply read-write, and both must make the same XML
            try (LibvirtConnection readOnly = LibvirtConnection.open("qemu:///system", true)) {
                assertThat(readOnly.bestDomainType()).isEqualTo(c.bestDomainType());
            }
            c.define(g.xml());
            try {
                c.start(name);
                String cmdline = qemuCommandLine(name);
                assertThat(cmdline).contains("-accel tcg", "-display none", "isa-serial", "virtio-rng-pci", "pcie-root-port",
                        "OVMF", "-smp 1", "-m 512");
                // the template's firmware features: the OVMF build without Secure Boot, not Debian's first (.ms.fd)
                assertThat(cmdline).as("OVMF without Secure Boot").contains("OVMF_CODE_4M.fd").doesNotContain(".ms.fd", "secboot");
                assertThat(cmdline).doesNotContain("virtio-balloon", "usb-tablet", "qemu-xhci", "nec-usb-xhci", "ich9-usb",
                        "-device {\"driver\":\"VGA\"", "qxl", "spice", "-vnc", "intel-hda");
                assertThat(c.domains()).anyMatch(d -> d.name().equals(name) && d.running());
            } finally {
                c.stop(name, true);
                c.undefine(name);
            }
        }
    }

    private static String qemuCommandLine(String name) throws Exception {
        Path pidFile = Path.of("/run/libvirt/qemu/" + name + ".pid");
        String pid = Files.readString(pidFile).strip();
        return Files.readString(Path.of("/proc/" + pid + "/cmdline")).replace('\0', ' ');
    }
}
