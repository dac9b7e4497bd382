package dev.vfiokit.templates;

import dev.vfiokit.iommucheck.host.HostSnapshot;
import dev.vfiokit.iommucheck.host.PciDevice;

/**
 * A libvirt network that hands out a PF's VFs ({@code <forward mode="hostdev">}): guests then ask for
 * {@code <interface type="network"><source network="NAME"/>} and libvirt picks a free VF.
 */
public final class VfPoolNetwork {
    private VfPoolNetwork() {
    }

    public static String xml(HostSnapshot host, String name, String pfNetdev) {
        DomainNames.requireValid(name);
        PciDevice pf = host.deviceByNetdev(pfNetdev);
        if (!pf.isSriovPhysicalFunction()) {
            throw new RequestRefused(pfNetdev + " (" + pf.address() + ") is not an SR-IOV physical function");
        }
        return "<network>\n  <name>" + escape(name) + "</name>\n  <forward mode=\"hostdev\" managed=\"yes\">\n    <pf dev=\""
                + escape(pfNetdev) + "\"/>\n  </forward>\n</network>\n";
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
