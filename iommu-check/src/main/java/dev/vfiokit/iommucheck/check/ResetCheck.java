package dev.vfiokit.iommucheck.check;

import dev.vfiokit.iommucheck.host.HostSnapshot;
import dev.vfiokit.iommucheck.host.PciDevice;

import java.util.List;

/** Reset support: a device that cannot be reset keeps state between guests, or hangs on the second start. */
public final class ResetCheck implements DeviceCheck {
    @Override
    public Finding check(HostSnapshot host, PciDevice d) {
        String subject = d.address().toString();
        List<String> ev = List.of("reset_method: " + (d.resetMethods().isEmpty() ? "none listed" : String.join(" ", d.resetMethods())),
                "reset file: " + (d.canReset() ? "present" : "absent"));
        if (!d.resetMethods().isEmpty() && d.resetMethods().get(0).equals("device_specific")) {
            return Finding.pass("device.reset", subject, "a device-specific reset (a quirk or vendor-reset) comes first", ev);
        }
        if (d.resetMethods().contains("flr")) {
            return Finding.pass("device.reset", subject, "function level reset (FLR) supported", ev);
        }
        String amd = AmdResetCheck.family(d) != null ? "; this AMD GPU has the reset bug: see device.amd-reset" : "";
        if (!d.resetMethods().isEmpty()) {
            return new Finding("device.reset", Severity.WARN, subject, "no FLR; resets with " + String.join(", ", d.resetMethods()),
                    "a bus reset resets every function behind the bridge, so pass them together" + amd, ev);
        }
        if (d.canReset()) {
            return Finding.pass("device.reset", subject, "resettable (kernel does not list its methods)", ev);
        }
        return new Finding("device.reset", Severity.FAIL, subject, "no reset method: the device keeps state across "
                + "guest restarts and may fail the second start", "pass it only to a guest that is never restarted" + amd, ev);
    }
}
