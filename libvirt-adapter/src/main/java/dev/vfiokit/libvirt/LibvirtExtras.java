package dev.vfiokit.libvirt;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.PointerByReference;

/**
 * libvirt calls that libvirt-java 0.5.4 lacks, bound directly with JNA: define with schema validation, domain
 * capabilities, listing all node devices, and detach naming the vfio driver.
 */
interface LibvirtExtras extends Library {
    LibvirtExtras INSTANCE = Native.load("virt", LibvirtExtras.class);

    int VIR_DOMAIN_DEFINE_VALIDATE = 1;
    int VIR_CONNECT_LIST_NODE_DEVICES_CAP_PCI_DEV = 1 << 1;
    int VIR_CONNECT_LIST_NODE_DEVICES_CAP_MDEV = 1 << 14;
    int VIR_CONNECT_LIST_NODE_DEVICES_ACTIVE = 1 << 31;

    Pointer virDomainDefineXMLFlags(Pointer conn, String xml, int flags);

    int virDomainFree(Pointer domain);

    /** The domain's UUID as text into {@code buf} (VIR_UUID_STRING_BUFLEN = 37 bytes). */
    int virDomainGetUUIDString(Pointer domain, byte[] buf);

    /** The domain's state (virDomainState) and its reason. */
    int virDomainGetState(Pointer domain, com.sun.jna.ptr.IntByReference state, com.sun.jna.ptr.IntByReference reason, int flags);

    /** This process's libvirt library version (type null: the library alone). */
    int virGetVersion(com.sun.jna.ptr.LongByReference libVer, String type, com.sun.jna.ptr.LongByReference typeVer);

    int virConnectListAllNodeDevices(Pointer conn, PointerByReference devices, int flags);

    Pointer virNodeDeviceGetXMLDesc(Pointer dev, int flags);

    String virNodeDeviceGetName(Pointer dev);

    Pointer virNodeDeviceLookupByName(Pointer conn, String name);

    int virNodeDeviceDetachFlags(Pointer dev, String driverName, int flags);

    int virNodeDeviceReAttach(Pointer dev);

    int virNodeDeviceFree(Pointer dev);

    String virGetLastErrorMessage();

    void free(Pointer p);
}
