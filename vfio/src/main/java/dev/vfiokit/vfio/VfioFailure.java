package dev.vfiokit.vfio;

/** A host change that failed or was refused; the message is one line saying what and why. */
public class VfioFailure extends RuntimeException {
    private final boolean refused;

    public VfioFailure(String message, boolean refused) {
        super(message);
        this.refused = refused;
    }

    public static VfioFailure refused(String message) {
        return new VfioFailure(message, true);
    }

    public static VfioFailure failed(String message) {
        return new VfioFailure(message, false);
    }

    /** True when nothing was attempted (a safety rule or the input said no); false when a change failed. */
    public boolean refusedBeforeChange() {
        return refused;
    }
}
