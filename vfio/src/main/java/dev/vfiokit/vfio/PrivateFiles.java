package dev.vfiokit.vfio;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * vfiokit's state (journal, lock, kept definitions, history): directories 0700 and files 0600, created so rather
 * than tightened afterwards, because they hold domain definitions and the host's before-state. A state directory
 * another user owns or can write is refused: whoever can write the journal can make undo write any sysfs file.
 */
public final class PrivateFiles {
    private static final Set<PosixFilePermission> DIR = PosixFilePermissions.fromString("rwx------");
    private static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");

    private PrivateFiles() {
    }

    /** The directory, created 0700 when missing; an existing one must be ours and closed to others. */
    public static Path directory(Path dir) {
        try {
            if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
                Path parent = dir.toAbsolutePath().getParent();
                if (parent != null) {
                    Files.createDirectories(parent);
                }
                try {
                    Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(DIR));
                } catch (java.nio.file.FileAlreadyExistsException raced) {
                    // another vfiokit made it first: checked below like any existing one
                }
            }
            PosixFileAttributes a = Files.readAttributes(dir, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            if (a.isSymbolicLink() || !a.isDirectory()) {
                throw VfioFailure.refused("state directory " + dir + " is not a directory (a link or a file): vfiokit will not use it");
            }
            String me = System.getProperty("user.name");
            if (!a.owner().getName().equals(me)) {
                throw VfioFailure.refused("state directory " + dir + " belongs to " + a.owner().getName() + ", not " + me
                        + ": vfiokit will not keep its state there");
            }
            Set<PosixFilePermission> p = a.permissions();
            if (p.contains(PosixFilePermission.GROUP_WRITE) || p.contains(PosixFilePermission.OTHERS_WRITE)) {
                throw VfioFailure.refused("state directory " + dir + " is writable by other users (mode " + PosixFilePermissions.toString(p)
                        + "): vfiokit will not keep its state there; chmod 700 " + dir);
            }
            if (!p.equals(DIR)) {
                // readable by others (made by an older vfiokit, or by hand): ours, so close it
                Files.setPosixFilePermissions(dir, DIR);
            }
            return dir;
        } catch (IOException e) {
            throw VfioFailure.refused("cannot use state directory " + dir + ": " + e.getMessage());
        }
    }

    /** {@code base} and each directory below it, in order, made private as {@link #directory(Path)} does; the last. */
    public static Path directories(Path base, String... below) {
        Path d = directory(base);
        for (String name : below) {
            d = directory(d.resolve(name));
        }
        return d;
    }

    /** Writes the file 0600 (created so), synced to disk, in a private directory. */
    public static void write(Path file, byte[] content, boolean sync) throws IOException {
        FileAttribute<Set<PosixFilePermission>> mode = PosixFilePermissions.asFileAttribute(FILE);
        if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
            Files.createFile(file, mode);
        } else {
            Files.setPosixFilePermissions(file, FILE);
        }
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING,
                LinkOption.NOFOLLOW_LINKS)) {
            ByteBuffer b = ByteBuffer.wrap(content);
            while (b.hasRemaining()) {
                ch.write(b);
            }
            if (sync) {
                ch.force(true);
            }
        }
    }

    /** Opens (creating 0600) a file to lock or append to. */
    public static FileChannel open(Path file) throws IOException {
        if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
            try {
                Files.createFile(file, PosixFilePermissions.asFileAttribute(FILE));
            } catch (java.nio.file.FileAlreadyExistsException raced) {
                // made by another vfiokit in between: opened below
            }
        }
        return FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
    }
}
