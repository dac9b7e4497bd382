package dev.vfiokit.iommucheck.check;

import dev.vfiokit.iommucheck.host.DevicePower;
import dev.vfiokit.iommucheck.host.HostSnapshot;
import dev.vfiokit.iommucheck.host.PciDevice;

import java.util.ArrayList;
import java.util.List;

/**
 * Power and reset traps: a device left in D3cold (its config space reads all ones until the platform powers it up,
 * and some GPUs never come back), and models with known reset trouble ({@link ResetTraps}, with a source each).
 */
public final class PowerCheck implements Check {
    @Override
    public List<Finding> run(HostSnapshot host, List<PciDevice> targets) {
        List<Finding> out = new ArrayList<>();
        for (PciDevice d : targets) {
            out.add(power(d));
            ResetTraps.of(d).ifPresent(t -> out.add(new Finding("device.reset-trap", Severity.WARN, d.address().toString(),
                    t.model() + ": " + t.trouble(), t.workaround(), List.of("id " + d.ids(), "source: " + t.source()))));
        }
        return out;
    }

    private static Finding power(PciDevice d) {
        String subject = d.address().toString();
        DevicePower p = d.power();
        if (p.state() == null) {
            return new Finding("device.power", Severity.SKIP, subject, "the kernel shows no power_state (older than 5.16, or not "
                    + "read through sysfs)", "", List.of());
        }
        List<String> ev = List.of("power_state: " + p.state(), "d3cold_allowed: " + (p.d3coldAllowed() == null ? "absent"
                : p.d3coldAllowed() ? "1" : "0"));
        String pin = "echo 0 > /sys/bus/pci/devices/" + d.address() + "/d3cold_allowed (and options vfio-pci disable_idle_d3=1 "
                + "in /etc/modprobe.d, so vfio-pci keeps an idle device in D0)";
        if (p.inD3cold()) {
            return new Finding("device.power", Severity.WARN, subject, "in D3cold: powered off by runtime PM; a guest start must "
                    + "power it up first, which GPUs that lose their link (or firmware) there fail", pin, ev);
        }
        if (Boolean.TRUE.equals(p.d3coldAllowed()) && ResetTraps.of(d).isPresent()) {
            return new Finding("device.power", Severity.WARN, subject, p.state() + ", but runtime PM may put it in D3cold, which "
                    + "this model does not survive reliably (see device.reset-trap)", pin, ev);
        }
        return Finding.pass("device.power", subject, p.state(), ev);
    }
}
