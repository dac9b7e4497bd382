package dev.vfiokit.vfio;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** One vfiokit at a time changes a host: an exclusive lock on the state directory's lock file. */
public final class HostLock implements AutoCloseable {
    private final FileChannel channel;
    private final FileLock lock;

    private HostLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    public static HostLock acquire(Path stateDir) {
        Path file = stateDir.resolve("lock");
        try {
            PrivateFiles.directory(stateDir);
            FileChannel ch = PrivateFiles.open(file);
            FileLock l;
            try {
                l = ch.tryLock();
            } catch (OverlappingFileLockException e) {
                l = null;
            }
            if (l == null) {
                String holder = Files.readString(file).strip();
                ch.close();
                throw VfioFailure.refused("another vfiokit is changing this host" + (holder.isEmpty() ? "" : " (pid " + holder + ")")
                        + "; wait for it, or remove " + file + " if it is gone");
            }
            ch.truncate(0);
            ch.write(java.nio.ByteBuffer.wrap(String.valueOf(ProcessHandle.current().pid()).getBytes(StandardCharsets.UTF_8)));
            return new HostLock(ch, l);
        } catch (IOException e) {
            throw VfioFailure.refused("cannot lock " + file + ": " + e.getMessage());
        }
    }

    @Override
    public void close() {
        try {
            lock.release();
            channel.close();
        } catch (IOException e) {
            // the lock goes with the process anyway
        }
    }
}
