package dev.vfiokit.shell;

import org.springframework.stereotype.Component;

/** The exit code of the one-shot command, with the documented values. */
@Component
public class ExitStatus {
    public static final int OK = 0;
    public static final int WARN = 1;
    public static final int FAIL = 2;
    /** Bad command line: unknown command or option, malformed value (sysexits EX_USAGE). */
    public static final int USAGE = 64;
    /** A well-formed request refused as unsafe or impossible on this host, or input that is not what it claims (EX_DATAERR). */
    public static final int DATA = 65;
    /** libvirt refused the request or cannot be reached (EX_UNAVAILABLE). */
    public static final int UNAVAILABLE = 69;
    /** A bug or an unexpected failure (EX_SOFTWARE). */
    public static final int INTERNAL = 70;
    /** The host could not be read or changed (EX_IOERR). */
    public static final int IO = 74;

    private volatile int code = OK;

    public int code() {
        return code;
    }

    public void set(int code) {
        this.code = code;
    }
}
