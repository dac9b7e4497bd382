package dev.vfiokit.libvirt;

/** A libvirt call that failed, as one line: what was asked, and libvirt's own reason. */
public class LibvirtFailure extends RuntimeException {
    /** The code of a failure of this machine, not of any host: libvirt's library cannot be loaded. */
    public static final int NO_LIBRARY = -2;
    private final int code;

    public LibvirtFailure(String message, int code) {
        super(message);
        this.code = code;
    }

    /**
     * libvirt's virErrorNumber (e.g. 42 VIR_ERR_NO_DOMAIN, 84 VIR_ERR_NO_SUPPORT), -1 when not from libvirt,
     * {@link #NO_LIBRARY} when libvirt.so.0 cannot be loaded.
     */
    public int code() {
        return code;
    }
}
