package dev.vfiokit.shell;

/** The words given do not start with a vfiokit command. */
class UnknownCommandException extends RuntimeException {
    UnknownCommandException(String message) {
        super(message);
    }
}
