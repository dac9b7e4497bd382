package dev.vfiokit.templates;

/** A well-formed request that would give a guest something it must not have, or cannot be done on this host. */
public class RequestRefused extends RuntimeException {
    public RequestRefused(String message) {
        super(message);
    }
}
