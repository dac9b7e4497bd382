package dev.vfiokit.iommucheck.host;

import java.util.Collection;

/**
 * The 64-bit MMIO window a guest needs for its devices' 64-bit BARs. OVMF places them naturally aligned in one
 * aperture, so the window is the next power of two at or above their sum. OVMF's own default aperture is 32 GiB
 * (edk2 OvmfPkg, PcdPciMmio64Size); a larger one is asked for with the fw_cfg entry opt/ovmf/X-PciMmio64Mb (MiB).
 */
public record Mmio64Window(long barBytes, long windowBytes) {
    public static final long OVMF_DEFAULT = 32L << 30;
    public static final String FW_CFG_ENTRY = "opt/ovmf/X-PciMmio64Mb";

    public static Mmio64Window of(Collection<PciDevice> devices) {
        long sum = devices.stream().mapToLong(PciDevice::mmio64Bytes).sum();
        long window = 1;
        while (window < sum) {
            window <<= 1;
        }
        return new Mmio64Window(sum, sum == 0 ? 0 : window);
    }

    /** Whether OVMF's default aperture is too small for these BARs: the guest would see them as 0M. */
    public boolean exceedsOvmfDefault() {
        return windowBytes > OVMF_DEFAULT;
    }

    public long windowMiB() {
        return windowBytes >> 20;
    }

    /** QEMU's arguments that give OVMF this aperture. */
    public static java.util.List<String> qemuArguments(Mmio64Window w) {
        return java.util.List.of("-fw_cfg", "name=" + FW_CFG_ENTRY + ",string=" + w.windowMiB());
    }
}
