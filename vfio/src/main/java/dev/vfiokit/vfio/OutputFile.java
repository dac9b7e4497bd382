package dev.vfiokit.vfio;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.function.Predicate;

/**
 * A file a command writes for the admin ({@code -o FILE}, {@code --output}): new, or replacing only a regular file
 * that vfiokit wrote before (the caller says how its own output reads). Run as root, {@code -o /dev/sda}, a typo that
 * names /etc/fstab or a link to either would otherwise be overwritten; what vfiokit did not write is left as it was.
 * Written to a temporary file beside it and moved over it, so a reader never sees half a file and a link is
 * replaced, not followed.
 */
public final class OutputFile {
    private static final long MAX_OURS = 16L << 20;

    private OutputFile() {
    }

    /** Why a write was refused or failed: one line naming the file. */
    public static final class Refused extends RuntimeException {
        private final boolean io;

        Refused(String message, boolean io) {
            super(message);
            this.io = io;
        }

        /** The file system failed (permissions, a missing directory), as opposed to a file vfiokit will not replace. */
        public boolean io() {
            return io;
        }
    }

    /** What happened: the file was written, or held this text already and was left as it was. */
    public enum Outcome { WROTE, UNCHANGED }

    /**
     * Refuses, before a command changes anything, an output it could not write afterwards: one that is not a regular
     * file, one vfiokit did not write, one in a directory that does not exist.
     */
    public static void check(String output, Predicate<String> ours) {
        vet(output, null, ours);
    }

    /**
     * Writes {@code text} to {@code output}. {@code ours} tells vfiokit's own earlier output from anything else by its
     * text; an empty file counts as ours (a placeholder the admin made for it).
     */
    public static Outcome write(String output, String text, Predicate<String> ours) {
        if (vet(output, text, ours)) {
            return Outcome.UNCHANGED;
        }
        Path p = Path.of(output);
        try {
            // the mode of the file it replaces, else 0644: a Nova drop-in is read by the nova user, a domain XML by virsh
            java.util.Set<java.nio.file.attribute.PosixFilePermission> mode = Files.exists(p, LinkOption.NOFOLLOW_LINKS)
                    ? Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS)
                    : java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--");
            Path tmp = Files.createTempFile(p.toAbsolutePath().getParent(), ".vfiokit-output", ".tmp");
            try {
                Files.writeString(tmp, text, StandardCharsets.UTF_8);
                Files.setPosixFilePermissions(tmp, mode);
                Files.move(tmp, p, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(tmp);
            }
            return Outcome.WROTE;
        } catch (IOException e) {
            throw new Refused("cannot write " + output + ": " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()), true);
        }
    }

    /** Refuses what may not be written; true where the file holds {@code text} already. */
    private static boolean vet(String output, String text, Predicate<String> ours) {
        Path p = Path.of(output);
        String notOurs = "refusing to replace " + output + ": vfiokit did not write it (remove it first, or name another file)";
        try {
            if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
                Path dir = p.toAbsolutePath().getParent();
                if (dir == null || !Files.isDirectory(dir)) {
                    throw new Refused("cannot write " + output + ": no directory " + dir, true);
                }
                return false;
            }
            if (!Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
                throw new Refused("refusing to write " + output + ": it is not a regular file ("
                        + (Files.isSymbolicLink(p) ? "a symbolic link" : Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)
                        ? "a directory" : "a device, FIFO or socket") + "); name a new file", false);
            }
            if (Files.size(p) > MAX_OURS) {
                // no output of vfiokit's is this large: a disk image or a log, and not read into memory to find out
                throw new Refused(notOurs, false);
            }
            String before = Files.readString(p, StandardCharsets.UTF_8);
            if (before.equals(text)) {
                return true;
            }
            if (!before.isBlank() && !ours.test(before)) {
                throw new Refused(notOurs, false);
            }
            return false;
        } catch (java.nio.charset.CharacterCodingException e) {
            throw new Refused(notOurs + " (it is not text)", false);
        } catch (IOException e) {
            throw new Refused("cannot write " + output + ": " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()), true);
        }
    }
}
