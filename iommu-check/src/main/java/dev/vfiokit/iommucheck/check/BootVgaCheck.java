package dev.vfiokit.iommucheck.check;

import dev.vfiokit.iommucheck.host.HostSnapshot;
import dev.vfiokit.iommucheck.host.PciDevice;

import java.util.ArrayList;
import java.util.List;

/** The boot GPU: the firmware's framebuffer (efifb, simplefb, vesafb) and the host console sit on it. */
public final class BootVgaCheck implements DeviceCheck {
    @Override
    public Finding check(HostSnapshot host, PciDevice d) {
        String subject = d.address().toString();
        List<String> ev = new ArrayList<>();
        ev.add("boot_vga=" + (d.bootVga() ? 1 : 0));
        ev.add("/proc/fb: " + (host.framebuffers().isEmpty() ? "none" : String.join(", ", host.framebuffers())));
        if (!d.isGpu()) {
            return new Finding("device.boot-vga", Severity.SKIP, subject, "not a display device", "", ev);
        }
        if (!d.bootVga()) {
            return Finding.pass("device.boot-vga", subject, "not the boot GPU", ev);
        }
        String fb = host.framebuffers().stream()
                .filter(f -> f.contains("EFI") || f.contains("simple") || f.contains("VESA") || f.contains("efifb"))
                .findFirst().orElse(null);
        if (fb != null) {
            return new Finding("device.boot-vga", Severity.WARN, subject, "boot GPU, held by the firmware framebuffer '"
                    + fb + "': its memory stays reserved and vfio-pci cannot claim the BARs",
                    "add video=efifb:off (or initcall_blacklist=sysfb_init on 5.15+ kernels) to the kernel command line, "
                            + "or make another GPU primary in firmware; a romfile (dumped VBIOS) may be needed", ev);
        }
        return new Finding("device.boot-vga", Severity.WARN, subject, "boot GPU: the host console uses it and its ROM "
                + "is a shadowed copy", "make another GPU primary in firmware, or pass a dumped VBIOS as romfile", ev);
    }
}
