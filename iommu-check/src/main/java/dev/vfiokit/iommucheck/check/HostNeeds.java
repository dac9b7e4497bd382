package dev.vfiokit.iommucheck.check;

import dev.vfiokit.iommucheck.host.HostSnapshot;
import dev.vfiokit.iommucheck.host.PciAddress;
import dev.vfiokit.iommucheck.host.PciDevice;

import java.util.Optional;
import java.util.Set;

/**
 * The one policy for "the host needs this device", asked by check, bind, domain generate, provisioning and tune.
 * Three kinds, because an admin can know better about some of them:
 * <ul>
 *   <li>{@link Kind#IN_USE}: storage under a mounted filesystem or active swap (the root disk): never given away;</li>
 *   <li>{@link Kind#NETWORK}: the NIC of the default route or of the SSH session: bind takes it only with --force;</li>
 *   <li>{@link Kind#HELD}: a storage or USB controller a host driver holds: bind takes it when it is named, never
 *   along with a group.</li>
 * </ul>
 * domain generate, provisioning and tune refuse all three, and check reports them as FAIL.
 */
public final class HostNeeds {
    public enum Kind { IN_USE, NETWORK, HELD }

    public record Need(Kind kind, String why) {
    }

    private final HostSnapshot host;
    private final Set<String> sessionNetdevs;
    private final PciAddress defaultRoute;

    public HostNeeds(HostSnapshot host) {
        this(host, Set.of());
    }

    /** {@code sessionNetdevs}: the interfaces an SSH session to this host came in on (only the host itself knows). */
    public HostNeeds(HostSnapshot host, Set<String> sessionNetdevs) {
        this.host = host;
        this.sessionNetdevs = Set.copyOf(sessionNetdevs);
        this.defaultRoute = host.defaultRouteDevice().map(PciDevice::address).orElse(null);
    }

    public Optional<Need> of(PciDevice d) {
        String use = host.storageInUse().get(d.address());
        if (use != null) {
            return Optional.of(new Need(Kind.IN_USE, "backs " + use));
        }
        if (d.address().equals(defaultRoute)) {
            return Optional.of(new Need(Kind.NETWORK, "carries the default route (" + host.defaultRouteInterface() + ")"));
        }
        for (String n : sessionNetdevs) {
            if (d.netdevs().contains(n)) {
                return Optional.of(new Need(Kind.NETWORK, "carries this SSH session (" + n + ")"));
            }
        }
        if (d.isStorage() && d.driver() != null && !d.boundToVfio()) {
            return Optional.of(new Need(Kind.HELD, "is a storage controller (" + d.driver() + ")"));
        }
        if (d.isUsb() && d.driver() != null && !d.boundToVfio()) {
            return Optional.of(new Need(Kind.HELD, "is a USB controller (" + d.driver() + ")"));
        }
        return Optional.empty();
    }
}
