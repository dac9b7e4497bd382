package dev.vfiokit.shell.usecase;

import dev.vfiokit.iommucheck.host.HostSnapshot;
import dev.vfiokit.iommucheck.host.MdevParent;
import dev.vfiokit.iommucheck.host.MdevType;
import dev.vfiokit.iommucheck.host.MediatedDevice;
import dev.vfiokit.templates.RequestRefused;
import dev.vfiokit.vfio.MdevPlanner;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Which mdev a domain gets for a type, the one policy of domain generate and provisioning: a free existing mdev of
 * that type (one no domain uses), else a new one on a parent with a free instance. One allocation serves many
 * domains on a host (a manifest's VMs): an mdev handed out is no longer free, and an instance planned on a parent
 * counts against that parent, so no two domains get one mdev and no parent is promised more than it has.
 */
public final class MdevAllocation {
    private final HostSnapshot host;
    private final MdevPlanner planner;
    private final Set<String> taken;
    /** Instances promised per parent and type id, not yet created. */
    private final Map<Slot, Integer> promised = new HashMap<>();

    private record Slot(String parent, String type) {
    }

    /** @param inUse the UUIDs of mdevs that domains (other than the ones being placed) use */
    public MdevAllocation(HostSnapshot host, Set<String> inUse) {
        this.host = host;
        this.planner = new MdevPlanner(host);
        this.taken = new HashSet<>(inUse);
    }

    /** What a domain gets: an existing mdev, or one to create. */
    public sealed interface Choice permits Existing, ToCreate {
    }

    public record Existing(MediatedDevice mdev) implements Choice {
    }

    /** An instance of {@code type} (its id) to create on {@code parent}. */
    public record ToCreate(MdevParent parent, MdevType type) implements Choice {
    }

    /**
     * @param type   an mdev type, by id or name
     * @param parent a parent to take it from, or null for any
     */
    public Choice allocate(String type, String parent) {
        var free = planner.freeOfType(type, parent, taken);
        if (free.isPresent()) {
            taken.add(free.get().uuid());
            return new Existing(free.get());
        }
        if (parent != null) {
            MdevParent p = planner.parent(parent);
            MdevType t = MdevPlanner.type(p, type);
            if (left(p, t) < 1) {
                throw new RequestRefused("parent " + p.name() + " has no free instance of mdev type " + t.id() + " left"
                        + (promised.isEmpty() ? "" : " (domains placed before this one count)"));
            }
            return promise(p, t);
        }
        for (MdevParent p : host.mdevParents()) {
            for (MdevType t : p.types()) {
                if ((t.id().equals(type) || t.name().equals(type)) && left(p, t) > 0) {
                    return promise(p, t);
                }
            }
        }
        throw new RequestRefused("no parent on host " + host.source() + " has a free instance of mdev type '" + type + "'"
                + (promised.isEmpty() ? "" : " left (domains placed before this one count)"));
    }

    private int left(MdevParent p, MdevType t) {
        return t.availableInstances() - promised.getOrDefault(new Slot(p.name(), t.id()), 0);
    }

    private ToCreate promise(MdevParent p, MdevType t) {
        promised.merge(new Slot(p.name(), t.id()), 1, Integer::sum);
        return new ToCreate(p, t);
    }
}
