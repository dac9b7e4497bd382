package dev.vfiokit.libvirt;

/** A libvirt call that failed, as one line: what was asked, and libvirt's own reason. */
public class LibvirtFailure extends RuntimeException {
    private final int code;

    public LibvirtFailure(String message, int code) {
        super(message);
        this.code = code;
    }

    /** libvirt's virErrorNumber (e.g. 42 VIR_ERR_NO_DOMAIN, 84 VIR_ERR_NO_SUPPORT), or -1 when not from libvirt. */
    public int code() {
        return code;
    }
}
