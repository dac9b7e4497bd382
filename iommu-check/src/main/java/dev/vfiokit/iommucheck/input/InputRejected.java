package dev.vfiokit.iommucheck.input;

/**
 * Input a user handed vfiokit that it will not take: not a regular file, too large, too deep, not well-formed.
 * Always a usage error (exit 64): the message names the input and, where the input has lines, the line.
 */
public class InputRejected extends IllegalArgumentException {
    public InputRejected(String message) {
        super(message);
    }
}
