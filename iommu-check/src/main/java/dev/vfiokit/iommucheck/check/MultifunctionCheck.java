package dev.vfiokit.iommucheck.check;

import dev.vfiokit.iommucheck.host.HostSnapshot;
import dev.vfiokit.iommucheck.host.PciDevice;

import java.util.ArrayList;
import java.util.List;

/** A GPU's other functions (HDMI audio, USB-C, UCSI): they must move and sit together in one guest slot. */
public final class MultifunctionCheck implements DeviceCheck {
    @Override
    public Finding check(HostSnapshot host, PciDevice d) {
        String subject = d.address().toString();
        List<PciDevice> siblings = host.siblings(d);
        if (siblings.isEmpty()) {
            return Finding.pass("device.functions", subject, "single-function device", List.of("no other functions in slot "
                    + subject.substring(0, subject.length() - 2)));
        }
        List<String> ev = new ArrayList<>();
        List<String> names = new ArrayList<>();
        List<String> elsewhere = new ArrayList<>();
        for (PciDevice s : siblings) {
            ev.add(s.address() + " [" + s.ids() + "] " + s.classWord() + " driver=" + (s.driver() == null ? "none" : s.driver())
                    + " group=" + s.iommuGroup());
            names.add(s.address() + " (" + s.classWord() + ")");
            if (s.iommuGroup() != null && !s.iommuGroup().equals(d.iommuGroup())) {
                elsewhere.add(s.address().toString());
            }
        }
        String msg = "multifunction device: " + String.join(", ", names) + " go with it into one guest slot";
        if (!elsewhere.isEmpty()) {
            return new Finding("device.functions", Severity.WARN, subject, msg + "; " + String.join(", ", elsewhere)
                    + " are in another IOMMU group", "bind each function's group: " + BindAdvice.of(host, d, elsewhere), ev);
        }
        return new Finding("device.functions", Severity.PASS, subject, msg,
                "domain generate keeps the functions together (multifunction='on')", ev);
    }
}
