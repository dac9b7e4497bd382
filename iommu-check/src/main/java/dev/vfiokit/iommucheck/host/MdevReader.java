package dev.vfiokit.iommucheck.host;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Reads mdev parents (/sys/class/mdev_bus), their types, and the existing mdevs (/sys/bus/mdev/devices). */
final class MdevReader {
    private final HostRoot root;

    MdevReader(HostRoot root) {
        this.root = root;
    }

    List<MdevParent> parents() {
        List<MdevParent> out = new ArrayList<>();
        for (String name : root.list("/sys/class/mdev_bus")) {
            String dir = realDir("/sys/class/mdev_bus/" + name);
            if (dir == null) {
                continue;
            }
            List<MdevType> types = new ArrayList<>();
            String t = dir + "/mdev_supported_types/";
            for (String id : root.list(t)) {
                types.add(new MdevType(id, root.read(t + id + "/name").orElse(id), root.read(t + id + "/description").orElse(""),
                        root.read(t + id + "/device_api").orElse(""), root.readInt(t + id + "/available_instances").orElse(0)));
            }
            out.add(new MdevParent(name, PciAddress.looksLike(name) ? PciAddress.parse(name) : null, dir, types));
        }
        return out;
    }

    List<MediatedDevice> devices() {
        List<MediatedDevice> out = new ArrayList<>();
        for (String uuid : root.list("/sys/bus/mdev/devices")) {
            String dir = realDir("/sys/bus/mdev/devices/" + uuid);
            String parent = dir == null ? "?" : Path.of(dir).getParent().getFileName().toString();
            String base = "/sys/bus/mdev/devices/" + uuid + "/";
            out.add(new MediatedDevice(uuid, parent, root.linkName(base + "mdev_type").orElse("?"),
                    root.linkName(base + "iommu_group").flatMap(HostRoot::parseInt).orElse(null)));
        }
        return out;
    }

    /** The absolute host path a sysfs link resolves to (inside the root). */
    private String realDir(String link) {
        try {
            Path real = root.path(link).toRealPath();
            Path base = root.root().toRealPath();
            return "/" + base.relativize(real);
        } catch (IOException | IllegalArgumentException e) {
            return null;
        }
    }
}
