package dev.vfiokit.libvirt;

/** A domain kept in a test-driver host file between processes: its (inactive) XML and whether it runs. */
public record PersistedDomain(String name, String xml, boolean running) {
}
