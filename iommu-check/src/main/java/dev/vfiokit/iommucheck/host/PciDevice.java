package dev.vfiokit.iommucheck.host;

import java.util.List;

/**
 * One PCI function as sysfs shows it. {@code driver}, {@code iommuGroup}, {@code sriov}, {@code physfn} and
 * {@code link} are null where sysfs has no such file or link (no driver bound, no IOMMU, not SR-IOV, not PCIe);
 * {@code vendorVgpu} is null but on a VF of NVIDIA's vendor-specific VFIO vGPU. {@code modalias} as sysfs writes it
 * ("pci:v000010DEd...", null where absent): what modules.alias matches. {@code vfioDevice}: the VFIO device of a
 * function bound to a VFIO driver ({@code vfio-dev/vfioN}, kernel 6.1+), its cdev {@code /dev/vfio/devices/vfioN}
 * where the kernel has CONFIG_VFIO_DEVICE_CDEV; null when not bound or older.
 */
public record PciDevice(PciAddress address, int vendorId, int deviceId, int subsystemVendorId,
                        int subsystemDeviceId, int classCode, String driver, String driverOverride,
                        Integer iommuGroup, int numaNode, boolean bootVga, Sriov sriov, PciAddress physfn,
                        PcieLink link, List<String> resetMethods, boolean canReset, boolean hasRom,
                        List<String> netdevs, List<MdevType> mdevTypes, List<Bar> bars, VendorVgpu vendorVgpu,
                        String modalias, String vfioDevice, DevicePower power) {

    public static final String VFIO_DRIVER = "vfio-pci";

    public PciDevice {
        resetMethods = List.copyOf(resetMethods);
        netdevs = List.copyOf(netdevs);
        mdevTypes = List.copyOf(mdevTypes);
        bars = List.copyOf(bars);
        power = power == null ? DevicePower.UNKNOWN : power;
    }

    /** A function with the facts libvirt's node devices do not give (modalias, VFIO device, power): unknown. */
    public PciDevice(PciAddress address, int vendorId, int deviceId, int subsystemVendorId, int subsystemDeviceId, int classCode,
                     String driver, String driverOverride, Integer iommuGroup, int numaNode, boolean bootVga, Sriov sriov,
                     PciAddress physfn, PcieLink link, List<String> resetMethods, boolean canReset, boolean hasRom,
                     List<String> netdevs, List<MdevType> mdevTypes, List<Bar> bars, VendorVgpu vendorVgpu) {
        this(address, vendorId, deviceId, subsystemVendorId, subsystemDeviceId, classCode, driver, driverOverride, iommuGroup,
                numaNode, bootVga, sriov, physfn, link, resetMethods, canReset, hasRom, netdevs, mdevTypes, bars, vendorVgpu,
                null, null, DevicePower.UNKNOWN);
    }

    /** This function with other vendor vGPU facts (after vfiokit wrote its type, before a new snapshot is read). */
    public PciDevice withVendorVgpu(VendorVgpu v) {
        return new PciDevice(address, vendorId, deviceId, subsystemVendorId, subsystemDeviceId, classCode, driver, driverOverride,
                iommuGroup, numaNode, bootVga, sriov, physfn, link, resetMethods, canReset, hasRom, netdevs, mdevTypes, bars, v,
                modalias, vfioDevice, power);
    }

    /** Bytes of 64-bit memory BARs: what this function needs of a guest's 64-bit MMIO window. */
    public long mmio64Bytes() {
        return bars.stream().filter(Bar::is64).mapToLong(Bar::size).sum();
    }

    /** vendor:device as lspci -n and vfio-pci's ids= write it. */
    public String ids() {
        char[] c = new char[9];
        PciAddress.put(c, 0, vendorId, 4);
        c[4] = ':';
        PciAddress.put(c, 5, deviceId, 4);
        return new String(c);
    }

    public int baseClass() {
        return classCode >>> 16;
    }

    public int subClass() {
        return (classCode >>> 8) & 0xff;
    }

    public boolean isGpu() {
        return baseClass() == 0x03;
    }

    public boolean isAudio() {
        return baseClass() == 0x04 && subClass() == 0x03;
    }

    public boolean isUsb() {
        return baseClass() == 0x0c && subClass() == 0x03;
    }

    public boolean isStorage() {
        return baseClass() == 0x01;
    }

    public boolean isNetwork() {
        return baseClass() == 0x02;
    }

    /** Host and PCI-to-PCI bridges: they stay with the host and do not block vfio group viability. */
    /** An NVIDIA NVSwitch (bridge class 0x0680 on HGX boards): it carries NVLink between the board's GPUs. */
    public boolean isNvswitch() {
        return vendorId == 0x10de && (classCode >>> 8) == 0x0680;
    }

    public boolean isBridge() {
        return baseClass() == 0x06 && (subClass() == 0x00 || subClass() == 0x04 || subClass() == 0x09);
    }

    public boolean isVirtualFunction() {
        return physfn != null;
    }

    public boolean isSriovPhysicalFunction() {
        return sriov != null && sriov.totalVfs() > 0;
    }

    /** On vfio-pci or a VFIO variant driver (mlx5_vfio_pci, nvgrace_gpu_vfio_pci, ...: the kernel names them all so). */
    public boolean boundToVfio() {
        return driver != null && (VFIO_DRIVER.equals(driver) || driver.endsWith("vfio_pci") || driver.endsWith("-vfio-pci"));
    }

    /** The short class word used by {@code devices --class}. */
    public String classWord() {
        if (isGpu()) {
            return "gpu";
        }
        if (isAudio()) {
            return "audio";
        }
        if (isNetwork()) {
            return "net";
        }
        if (isStorage()) {
            return "storage";
        }
        if (isUsb()) {
            return "usb";
        }
        if (isBridge()) {
            return "bridge";
        }
        if (baseClass() == 0x0c && subClass() == 0x80) {
            return "serial-bus";
        }
        if (baseClass() == 0x12) {
            return "accelerator";
        }
        if (baseClass() == 0x08) {
            return "system";
        }
        return "other";
    }
}
