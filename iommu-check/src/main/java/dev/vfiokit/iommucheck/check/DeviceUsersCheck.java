package dev.vfiokit.iommucheck.check;

import dev.vfiokit.iommucheck.host.FactSource;
import dev.vfiokit.iommucheck.host.HostSnapshot;
import dev.vfiokit.iommucheck.host.PciDevice;

import java.util.List;

/** Host processes holding a GPU open (a display server, nvidia-smi, an MPS daemon, a CUDA job): they must stop first. */
public final class DeviceUsersCheck implements DeviceCheck {
    @Override
    public Finding check(HostSnapshot host, PciDevice d) {
        String subject = d.address().toString();
        if (!d.isGpu()) {
            return new Finding("device.users", Severity.SKIP, subject, "not a GPU", "", List.of());
        }
        List<String> users = host.usersOf(d.address());
        if (users.isEmpty()) {
            return host.facts() == FactSource.LIBVIRT
                    ? new Finding("device.users", Severity.SKIP, subject, "not checked: libvirt does not say which processes hold a GPU", "", List.of())
                    : Finding.pass("device.users", subject, "no host process holds its device nodes (as far as this user can see /proc)", List.of());
        }
        return new Finding("device.users", Severity.FAIL, subject, "held by host processes: " + String.join("; ", users),
                "stop them before binding (a display server: systemctl stop display-manager; an MPS daemon: echo quit | "
                        + "nvidia-cuda-mps-control; nvidia-persistenced: systemctl stop nvidia-persistenced); bind refuses while "
                        + "they run (--force overrides)", users);
    }
}
