package dev.vfiokit.vfio;

import dev.vfiokit.iommucheck.host.HostSnapshot;
import dev.vfiokit.iommucheck.host.MdevParent;
import dev.vfiokit.iommucheck.host.MdevType;
import dev.vfiokit.iommucheck.host.MediatedDevice;
import dev.vfiokit.iommucheck.host.MdevUuid;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Plans creating and removing mediated devices (vGPU instances): a UUID written to the type's create file, or
 * 1 to the mdev's remove file. What the kernel would refuse is refused first with its reason (EEXIST same UUID,
 * EINVAL malformed UUID, ENOSPC type exhausted); persistence writes mdevctl's definitions.
 */
public final class MdevPlanner {
    private final HostSnapshot host;

    public MdevPlanner(HostSnapshot host) {
        host.facts().requireWhole("mediated-device planning");
        this.host = host;
    }

    public MdevParent parent(String name) {
        return host.mdevParent(name).orElseThrow(() -> new IllegalArgumentException("no mediated-device parent '" + name
                + "' on host " + host.source() + " (parents: " + String.join(", ", host.mdevParents().stream().map(MdevParent::name).toList()) + ")"));
    }

    public static MdevType type(MdevParent p, String type) {
        return p.types().stream().filter(t -> t.id().equals(type) || t.name().equals(type)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("parent " + p.name() + " has no type '" + type + "' (types: "
                        + String.join(", ", p.types().stream().map(t -> t.id() + " \"" + t.name() + "\"").toList()) + ")"));
    }

    /** @param uuid null: new random UUIDs; else exactly one mdev with this UUID */
    public Operation create(String parentName, String typeName, MdevUuid uuid, int count, boolean persist) {
        MdevParent p = parent(parentName);
        MdevType t = type(p, typeName);
        if (count < 1) {
            throw new IllegalArgumentException("--count must be at least 1");
        }
        if (uuid != null && count != 1) {
            throw new IllegalArgumentException("--uuid names one mdev; leave it out with --count " + count);
        }
        if (uuid != null && host.mdevs().stream().anyMatch(m -> m.uuid().equalsIgnoreCase(uuid.value()))) {
            throw VfioFailure.refused("an mdev " + uuid + " exists already (the kernel would answer EEXIST)");
        }
        if (t.availableInstances() < count) {
            throw VfioFailure.refused(p.name() + " type " + t.id() + " (" + t.name() + ") has " + t.availableInstances()
                    + " free instance(s), " + count + " asked (the kernel would answer ENOSPC)");
        }
        List<Step> steps = new ArrayList<>();
        List<MdevState> created = new ArrayList<>();
        List<FileState> files = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String u = (uuid != null ? uuid : MdevUuid.random()).value();
            steps.add(Step.write(p.sysfsPath() + "/mdev_supported_types/" + t.id() + "/create", u, new Expect.Exists("/sys/bus/mdev/devices/" + u),
                    "create a " + t.name() + " mdev on " + p.name()));
            created.add(new MdevState(u, p.sysfsPath(), t.id(), false));
            if (persist) {
                String f = "/etc/mdevctl.d/" + p.name() + "/" + u;
                files.add(new FileState(f, null));
                steps.add(Step.configFile(f, MdevctlDefinition.json(t.id()), "mdevctl starts it at boot"));
            }
        }
        List<String> notes = persist ? List.of("mdevctl's systemd units start the persisted mdevs at boot (apt-get install mdevctl)") : List.of();
        return new Operation(Operation.Kind.MDEV_CREATE, "create " + count + " " + t.id() + " (" + t.name() + ") mdev(s) on " + p.name(),
                steps, List.of(), files, List.of(), created, notes);
    }

    /** A free mdev of a type (id or name): one no domain uses, on {@code parent} when given. */
    public java.util.Optional<MediatedDevice> freeOfType(String type, String parent, java.util.Set<String> inUse) {
        return host.mdevs().stream().filter(m -> (parent == null || m.parent().equals(parent)) && !inUse.contains(m.uuid())
                && (m.type().equals(type) || host.mdevParent(m.parent()).map(p -> p.types().stream()
                        .anyMatch(t -> t.id().equals(m.type()) && t.name().equals(type))).orElse(false))).findFirst();
    }

    /** The first parent with a free instance of a type (id or name). */
    public java.util.Optional<MdevParent> parentWithFree(String type) {
        return host.mdevParents().stream().filter(p -> p.types().stream()
                .anyMatch(t -> (t.id().equals(type) || t.name().equals(type)) && t.availableInstances() > 0)).findFirst();
    }

    /** Removes an mdev's mdevctl definition (the mdev stays), journaled so that undo writes it back. */
    public Operation unpersist(dev.vfiokit.iommucheck.host.HostRoot root, MdevUuid uuid) {
        for (String parent : root.list("/etc/mdevctl.d")) {
            String f = "/etc/mdevctl.d/" + parent + "/" + uuid;
            java.util.Optional<String> content = root.read(f);
            if (content.isPresent()) {
                return new Operation(Operation.Kind.MDEV_PERSIST_REMOVE, "remove the mdevctl definition of " + uuid,
                        List.of(Step.removeFile(f, "mdevctl no longer starts " + uuid + " at boot")), List.of(),
                        List.of(new FileState(f, content.get() + "\n")), List.of(), List.of(), List.of());
            }
        }
        throw VfioFailure.refused("no mdevctl definition for " + uuid);
    }

    /** @param users mdev UUID to the domain that uses it (from libvirt) */
    public Operation remove(List<MdevUuid> uuids, boolean force, Map<String, String> users) {
        if (uuids.isEmpty()) {
            throw new IllegalArgumentException("name at least one mdev UUID");
        }
        List<Step> steps = new ArrayList<>();
        List<MdevState> removed = new ArrayList<>();
        for (MdevUuid u : uuids) {
            MediatedDevice m = host.mdevs().stream().filter(x -> x.uuid().equalsIgnoreCase(u.value())).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("no mdev " + u + " on host " + host.source() + " (see: vfiokit mdev list)"));
            String user = users.get(m.uuid());
            if (user != null && !force) {
                throw VfioFailure.refused("mdev " + m.uuid() + " is used by domain '" + user + "' (--force removes it anyway)");
            }
            MdevParent p = parent(m.parent());
            steps.add(Step.write("/sys/bus/mdev/devices/" + m.uuid() + "/remove", "1", new Expect.Absent("/sys/bus/mdev/devices/" + m.uuid()),
                    "remove mdev " + m.uuid() + " (blocks while a guest holds it open: 15 s timeout)"));
            removed.add(new MdevState(m.uuid(), p.sysfsPath(), m.type(), true));
        }
        return new Operation(Operation.Kind.MDEV_REMOVE, "remove mdev(s) " + String.join(" ", uuids.stream().map(MdevUuid::value).toList()), steps, List.of(), List.of(), List.of(),
                removed, List.of());
    }
}
