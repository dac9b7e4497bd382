package dev.vfiokit.iommucheck.host;

/**
 * The version of the libvirt that will receive a domain (through its connection: for a remote URI the daemon's
 * own), so that XML a libvirt does not know is never sent to it. Gates: {@code <driver model>} for VFIO variant
 * drivers came with libvirt 10.0.0, a hostdev's {@code <driver iommufd='yes'/>} with 12.1.0 (libvirt NEWS, formatdomain).
 */
public record LibvirtVersion(int major, int minor, int micro) implements Comparable<LibvirtVersion> {
    public static final LibvirtVersion VARIANT_DRIVER_MODEL = new LibvirtVersion(10, 0, 0);
    public static final LibvirtVersion HOSTDEV_IOMMUFD = new LibvirtVersion(12, 1, 0);

    /** libvirt's encoding: major * 1,000,000 + minor * 1,000 + micro (virConnectGetLibVersion). */
    public static LibvirtVersion decode(long v) {
        return new LibvirtVersion((int) (v / 1_000_000), (int) (v / 1000 % 1000), (int) (v % 1000));
    }

    /** "12.1.0". */
    public static LibvirtVersion parse(String text) {
        String[] p = text.strip().split("\\.");
        try {
            return new LibvirtVersion(Integer.parseInt(p[0]), p.length > 1 ? Integer.parseInt(p[1]) : 0,
                    p.length > 2 ? Integer.parseInt(p[2]) : 0);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("a libvirt version is N.N.N, got '" + text + "'");
        }
    }

    public boolean atLeast(LibvirtVersion other) {
        return compareTo(other) >= 0;
    }

    @Override
    public int compareTo(LibvirtVersion o) {
        return major != o.major ? Integer.compare(major, o.major) : minor != o.minor ? Integer.compare(minor, o.minor)
                : Integer.compare(micro, o.micro);
    }

    @Override
    public String toString() {
        return major + "." + minor + "." + micro;
    }
}
