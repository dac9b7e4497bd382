package dev.vfiokit.tuning;

import dev.vfiokit.iommucheck.check.HostNeeds;
import dev.vfiokit.iommucheck.host.HostSnapshot;
import dev.vfiokit.iommucheck.host.PciDevice;
import org.w3c.dom.Element;

import java.util.ArrayList;
import java.util.List;

/**
 * The host's own devices that a domain would take: PCI hostdevs (and hostdev interfaces) whose source is a device
 * the host runs on, by the same policy as check, bind and domain generate. Tuning a domain that passes one is a FAIL.
 */
final class PassedHostDevices {
    private PassedHostDevices() {
    }

    static List<String> of(Element domain, HostSnapshot host) {
        List<String> out = new ArrayList<>();
        if (host == null) {
            return out;
        }
        HostNeeds needs = new HostNeeds(host);
        for (PciDevice d : DomainFacts.passedDevices(domain, host)) {
            needs.of(d).ifPresent(n -> out.add(d.address() + " " + n.why() + ": the host needs it, and this domain passes it to its guest"));
        }
        return out;
    }
}
