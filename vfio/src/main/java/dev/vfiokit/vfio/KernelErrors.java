package dev.vfiokit.vfio;

/** The kernel's answers to sysfs writes, as errno text, explained for admins. */
final class KernelErrors {
    private KernelErrors() {
    }

    static String explain(String file, String message) {
        String m = message == null ? "" : message;
        String why;
        if (m.contains("Device or resource busy")) {
            why = file.endsWith("sriov_numvfs") ? "EBUSY: VFs are already enabled; the count must go to 0 first"
                    : "EBUSY: the device is in use";
        } else if (m.contains("Numerical result out of range")) {
            why = "ERANGE: more VFs than the PF supports (sriov_totalvfs)";
        } else if (m.contains("No such file or directory")) {
            why = file.endsWith("sriov_numvfs") ? "ENOENT: the PF has no driver that can create VFs (or vfio-pci without enable_sriov)"
                    : "ENOENT: no such device or driver";
        } else if (m.contains("File exists")) {
            why = "EEXIST: an mdev with this UUID exists already";
        } else if (m.contains("No space left on device")) {
            why = "ENOSPC: the type has no free instances left";
        } else if (m.contains("Invalid argument")) {
            why = file.endsWith("/create") ? "EINVAL: not a UUID the kernel accepts" : "EINVAL: the kernel rejected the value";
        } else if (m.contains("No such device")) {
            why = "ENODEV: the driver does not take this device";
        } else if (m.contains("Permission denied") || m.contains("Operation not permitted")) {
            why = "permission denied: run as root";
        } else {
            why = m;
        }
        return why;
    }
}
