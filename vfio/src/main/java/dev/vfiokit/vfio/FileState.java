package dev.vfiokit.vfio;

/** A configuration file before a change: its content, or null when it did not exist. */
public record FileState(String path, String content) {
}
