package dev.vfiokit.iommucheck.host;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Host processes that hold a GPU's device nodes open: its DRM nodes (/dev/dri/cardN and renderDN, named in
 * /sys/bus/pci/devices/BDF/drm/) and NVIDIA's /dev/nvidiaN (the "Device Minor" of /proc/driver/nvidia/gpus/BDF/information),
 * found in /proc/PID/fd. A display server, nvidia-smi, an MPS control daemon or a CUDA job holding the GPU makes an unbind
 * hang or fail, and takes the GPU from under them. Processes of other users are seen only as root.
 */
public final class DeviceNodeUsers {
    /** A host that does not show its processes (one seen through libvirt alone). */
    public static final DeviceNodeUsers NONE = new DeviceNodeUsers(null, List.of());

    private final HostRoot root;
    private final List<PciDevice> devices;
    /** Walking every process's fds costs on a busy host: done once, when a check or bind first asks. */
    private Map<PciAddress, List<String>> users;

    public DeviceNodeUsers(HostRoot root, List<PciDevice> devices) {
        this.root = root;
        this.devices = List.copyOf(devices);
    }

    /** The processes holding this device's nodes open, read on first use. */
    public synchronized List<String> of(PciAddress address) {
        if (users == null) {
            users = root == null ? Map.of() : read(devices);
        }
        return users.getOrDefault(address, List.of());
    }

    /** Each device with users, to "pid 1234 (Xorg) holds /dev/dri/card1". */
    private Map<PciAddress, List<String>> read(List<PciDevice> devices) {
        Map<String, PciAddress> nodeOf = new HashMap<>();
        for (PciDevice d : devices) {
            if (!d.isGpu()) {
                continue;
            }
            for (String n : root.list("/sys/bus/pci/devices/" + d.address() + "/drm")) {
                if (n.matches("card\\d+|renderD\\d+")) {
                    nodeOf.put("/dev/dri/" + n, d.address());
                }
            }
            for (String line : root.lines("/proc/driver/nvidia/gpus/" + d.address() + "/information")) {
                if (line.startsWith("Device Minor:")) {
                    nodeOf.put("/dev/nvidia" + line.substring("Device Minor:".length()).strip(), d.address());
                }
            }
        }
        Map<PciAddress, List<String>> out = new TreeMap<>();
        if (nodeOf.isEmpty()) {
            return out;
        }
        for (String pid : root.list("/proc")) {
            if (!pid.matches("\\d+")) {
                continue;
            }
            for (String fd : root.list("/proc/" + pid + "/fd")) {
                target("/proc/" + pid + "/fd/" + fd).map(nodeOf::get).ifPresent(a -> {
                    String comm = root.read("/proc/" + pid + "/comm").map(String::strip).orElse("?");
                    String who = "pid " + pid + " (" + comm + ")";
                    List<String> users = out.computeIfAbsent(a, k -> new ArrayList<>());
                    if (users.stream().noneMatch(u -> u.startsWith(who + " "))) {
                        users.add(who + " holds " + target("/proc/" + pid + "/fd/" + fd).orElse("?"));
                    }
                });
            }
        }
        return out;
    }

    private Optional<String> target(String link) {
        try {
            return Optional.of(Files.readSymbolicLink(root.path(link)).toString());
        } catch (Exception e) {
            return Optional.empty();
        }
    }
}
