package dev.vfiokit.iommucheck.check;

import dev.vfiokit.iommucheck.host.HostSnapshot;
import dev.vfiokit.iommucheck.host.MdevType;
import dev.vfiokit.iommucheck.host.PciDevice;

import java.util.ArrayList;
import java.util.List;

/** Mediated-device parents (vGPU): their types and free instances. */
public final class MdevCheck implements Check {
    @Override
    public List<Finding> run(HostSnapshot host, List<PciDevice> targets) {
        List<Finding> out = new ArrayList<>();
        for (PciDevice parent : host.devices()) {
            if (parent.mdevTypes().isEmpty()) {
                continue;
            }
            List<String> ev = new ArrayList<>();
            int free = 0;
            for (MdevType t : parent.mdevTypes()) {
                ev.add(t.id() + " \"" + t.name() + "\" " + t.deviceApi() + ", " + t.availableInstances() + " available");
                free += t.availableInstances();
            }
            String subject = parent.address().toString();
            if (free == 0) {
                out.add(new Finding("mdev.parent", Severity.WARN, subject, "mediated-device parent with "
                        + parent.mdevTypes().size() + " types, none with free instances",
                        "remove unused mdevs, or pick another parent", ev));
            } else {
                out.add(Finding.pass("mdev.parent", subject, "mediated-device parent: " + parent.mdevTypes().size()
                        + " types, " + free + " instances free", ev));
            }
        }
        return out;
    }
}
