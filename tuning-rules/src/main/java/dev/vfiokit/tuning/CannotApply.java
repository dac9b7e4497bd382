package dev.vfiokit.tuning;

/** A rule that applies but cannot be carried out here (too few cores, no hugepages...), with the reason. */
class CannotApply extends RuntimeException {
    CannotApply(String reason) {
        super(reason);
    }
}
