package dev.vfiokit.vfio;

/**
 * A mediated device an operation creates ({@code existed} false: undo removes it) or removes ({@code existed}
 * true: undo creates it again, with the same UUID, on the same parent and type).
 */
public record MdevState(String uuid, String parentPath, String type, boolean existed) {
}
