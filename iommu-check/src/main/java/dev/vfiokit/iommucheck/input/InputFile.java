package dev.vfiokit.iommucheck.input;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.ByteBuffer;

/**
 * A file a user names (domain XML, a manifest, a script, a template or rule file). Only regular files are read:
 * a FIFO or a device would block or never end. Files above {@link #LIMIT} are refused before they are read, so
 * a hostile input cannot take the memory of a root process on a hypervisor.
 */
public final class InputFile {
    /** The largest input vfiokit reads: far above any real domain XML or manifest (a 1,000-VM manifest is ~100 KiB). */
    public static final long LIMIT = 16L * 1024 * 1024;

    private InputFile() {
    }

    /** The file's text (UTF-8); {@code what} names it in errors ("domain XML", "manifest"). */
    public static String read(Path file, String what) {
        return new String(bytes(file, what), StandardCharsets.UTF_8);
    }

    /** As {@link #read}, but refusing bytes that are not UTF-8 instead of replacing them. */
    public static String readStrictUtf8(Path file, String what) {
        byte[] b = bytes(file, what);
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(b)).toString();
        } catch (CharacterCodingException e) {
            throw new InputRejected("cannot read " + what + " " + file + ": it is not UTF-8 text");
        }
    }

    public static byte[] bytes(Path file, String what) {
        requireReadable(file, what);
        try (InputStream in = Files.newInputStream(file)) {
            // the size may have grown since it was checked: never read more than the limit
            byte[] b = in.readNBytes((int) LIMIT + 1);
            if (b.length > LIMIT) {
                throw new InputRejected(what + " " + file + " is larger than the " + LIMIT / (1024 * 1024) + " MiB vfiokit reads");
            }
            return b;
        } catch (AccessDeniedException e) {
            throw new InputRejected("cannot read " + what + " " + file + ": permission denied");
        } catch (IOException e) {
            throw new InputRejected("cannot read " + what + " " + file + ": " + e.getMessage());
        }
    }

    /** The checks made before a byte is read: it exists, it is a regular file, it is under the limit. */
    public static void requireReadable(Path file, String what) {
        BasicFileAttributes a;
        try {
            a = Files.readAttributes(file, BasicFileAttributes.class);
        } catch (NoSuchFileException e) {
            throw new InputRejected("cannot read " + what + " " + file + ": no such file");
        } catch (AccessDeniedException e) {
            throw new InputRejected("cannot read " + what + " " + file + ": permission denied");
        } catch (IOException e) {
            throw new InputRejected("cannot read " + what + " " + file + ": " + e.getMessage());
        }
        if (a.isDirectory()) {
            throw new InputRejected("cannot read " + what + " " + file + ": it is a directory");
        }
        if (!a.isRegularFile()) {
            throw new InputRejected("cannot read " + what + " " + file + ": not a regular file (a FIFO, socket or device)");
        }
        if (a.size() > LIMIT) {
            throw new InputRejected(what + " " + file + " is " + a.size() + " bytes: larger than the " + LIMIT / (1024 * 1024)
                    + " MiB (" + LIMIT + " bytes) vfiokit reads");
        }
    }

    /** Text handed over as a string (a libvirt answer, a generated document): the same size limit. */
    public static String checkSize(String text, String what) {
        if (text.length() > LIMIT) {
            throw new InputRejected(what + " is larger than the " + LIMIT / (1024 * 1024) + " MiB vfiokit reads");
        }
        return text;
    }
}
