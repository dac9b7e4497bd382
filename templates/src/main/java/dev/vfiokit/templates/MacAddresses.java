package dev.vfiokit.templates;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * MACs for VFs, derived from the VM name and the VF's position: redefining the VM gives the same MAC, so
 * the guest's network configuration and DHCP leases survive (a VF's own MAC changes on every host boot).
 */
public final class MacAddresses {
    private MacAddresses() {
    }

    /** 52:54:00 (the prefix libvirt and QEMU use) plus three bytes of SHA-256(name + "/" + index). */
    public static String forVm(String vmName, int index) {
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest((vmName + "/" + index).getBytes(StandardCharsets.UTF_8));
            return String.format("52:54:00:%02x:%02x:%02x", h[0] & 0xff, h[1] & 0xff, h[2] & 0xff);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 missing from the JDK", e);
        }
    }
}
