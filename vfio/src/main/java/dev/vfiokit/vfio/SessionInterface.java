package dev.vfiokit.vfio;

import java.time.Duration;
import java.util.Set;

/**
 * The interface an SSH session to this machine came in on (SSH_CONNECTION's server address, looked up with
 * {@code ip -o addr show}): binding it would cut the admin off. Only this machine knows it: for a tree, the demo or
 * a host seen through libvirt, SSH_CONNECTION and ip(8) describe another machine, so there is none.
 */
final class SessionInterface {
    private SessionInterface() {
    }

    static Set<String> of(HostTarget target) {
        String conn = System.getenv("SSH_CONNECTION");
        if (conn == null || target.kind() != HostTarget.Kind.LOCAL) {
            return Set.of();
        }
        String[] f = conn.trim().split("\\s+");
        if (f.length < 3) {
            return Set.of();
        }
        try {
            for (String line : target.commands().run(java.util.List.of("ip", "-o", "addr", "show"), Duration.ofSeconds(5)).split("\n")) {
                String[] w = line.trim().split("\\s+");
                if (w.length > 3 && w[3].startsWith(f[2] + "/")) {
                    return Set.of(w[1]);
                }
            }
        } catch (VfioFailure e) {
            return Set.of();
        }
        return Set.of();
    }
}
