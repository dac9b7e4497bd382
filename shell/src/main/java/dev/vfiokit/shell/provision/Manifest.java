package dev.vfiokit.shell.provision;

import java.util.List;
import java.util.Map;

/** A provisioning manifest: hosts by name (a libvirt URI, "demo" or "local"), and the VMs. */
public record Manifest(Map<String, String> hosts, List<VmSpec> vms) {
    public Manifest {
        hosts = Map.copyOf(hosts);
        vms = List.copyOf(vms);
    }
}
