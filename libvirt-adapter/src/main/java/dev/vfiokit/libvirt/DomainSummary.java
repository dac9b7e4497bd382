package dev.vfiokit.libvirt;

/** A domain as listed: name, UUID, state ("running", "shut off", ...), persistent or transient. */
public record DomainSummary(String name, String uuid, String state, boolean persistent) {
}
