package dev.vfiokit.vfio;

import dev.vfiokit.iommucheck.host.HostRoot;
import dev.vfiokit.iommucheck.host.HostSnapshot;
import dev.vfiokit.iommucheck.host.PciAddress;
import dev.vfiokit.iommucheck.host.PciDevice;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What the host itself uses a device for: its mounted filesystems, its default route, the SSH session's NIC. */
final class HostUsage {
    private static final Pattern PCI = Pattern.compile("([0-9a-f]{4}:[0-9a-f]{2}:[0-9a-f]{2}\\.[0-7])");
    private final HostTarget target;
    private final HostRoot root;
    private final HostSnapshot host;

    HostUsage(HostTarget target, HostSnapshot host) {
        this.target = target;
        this.root = target.root();
        this.host = host;
    }

    /** Why the host needs this device (a reason to refuse binding it), if it does. */
    Optional<String> need(PciDevice d, Map<PciAddress, String> mounts) {
        if (d.bootVga()) {
            return Optional.of("is the boot VGA device (the host console)");
        }
        if (mounts.containsKey(d.address())) {
            return Optional.of("backs mounted filesystem " + mounts.get(d.address()));
        }
        if (host.defaultRouteInterface() != null && d.netdevs().contains(host.defaultRouteInterface())) {
            return Optional.of("carries the default route (" + host.defaultRouteInterface() + ")");
        }
        Optional<String> ssh = sshInterface();
        if (ssh.isPresent() && d.netdevs().contains(ssh.get())) {
            return Optional.of("carries this SSH session (" + ssh.get() + ")");
        }
        return Optional.empty();
    }

    /** PCI devices under each mounted or swapping block device (partitions, device-mapper slaves), address to mount point. */
    Map<PciAddress, String> mountedDevices() {
        Map<PciAddress, String> out = new LinkedHashMap<>();
        for (String line : root.lines("/proc/mounts")) {
            String[] f = line.split("\\s+");
            if (f.length < 2 || !f[0].startsWith("/dev/")) {
                continue;
            }
            String name = f[0].substring(f[0].lastIndexOf('/') + 1);
            addBlock(name, f[1], out, 0);
        }
        // swap in use is as much the host's as a mounted filesystem: /proc/swaps, "Filename Type Size Used Priority"
        for (String line : root.lines("/proc/swaps")) {
            String[] f = line.split("\\s+");
            if (f.length >= 2 && f[0].startsWith("/dev/")) {
                addBlock(f[0].substring(f[0].lastIndexOf('/') + 1), "swap " + f[0], out, 0);
            }
        }
        return out;
    }

    private void addBlock(String name, String mountPoint, Map<PciAddress, String> out, int depth) {
        Path link = root.path("/sys/class/block/" + name);
        if (!Files.exists(link) || depth > 4) {
            return;
        }
        try {
            String real = link.toRealPath().toString();
            Matcher m = PCI.matcher(real);
            while (m.find()) {
                out.putIfAbsent(PciAddress.parse(m.group(1)), mountPoint);
            }
        } catch (IOException e) {
            return;
        }
        for (String slave : root.list("/sys/class/block/" + name + "/slaves")) {
            addBlock(slave, mountPoint, out, depth + 1);
        }
    }

    /** The interface whose address the SSH session came in on (SSH_CONNECTION's server address). */
    private Optional<String> sshInterface() {
        String conn = System.getenv("SSH_CONNECTION");
        // SSH_CONNECTION and ip(8) describe this machine: meaningless for a tree or the demo
        if (conn == null || target.kind() != HostTarget.Kind.LOCAL) {
            return Optional.empty();
        }
        String[] f = conn.trim().split("\\s+");
        if (f.length < 3) {
            return Optional.empty();
        }
        try {
            for (String line : target.commands().run(java.util.List.of("ip", "-o", "addr", "show"), Duration.ofSeconds(5)).split("\n")) {
                String[] w = line.trim().split("\\s+");
                if (w.length > 3 && w[3].startsWith(f[2] + "/")) {
                    return Optional.of(w[1]);
                }
            }
        } catch (VfioFailure e) {
            return Optional.empty();
        }
        return Optional.empty();
    }
}
