package dev.vfiokit.iommucheck.host;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The root every host file is read through: {@code /} in production, a fixture tree in tests, the demo
 * host's tree for {@code --host demo}. Missing or unreadable files are normal on real hosts (virtual
 * devices, old kernels), so reads answer empty instead of throwing.
 */
public record HostRoot(Path root) {

    public static HostRoot local() {
        return new HostRoot(Path.of("/"));
    }

    /**
     * The path of an absolute host path ("/sys/...") under this root. A path with a ".." segment is refused: host
     * paths are built from names (UUIDs, addresses, netdevs) and must never climb out of the directory they name.
     */
    public Path path(String absolute) {
        String rel = absolute.startsWith("/") ? absolute.substring(1) : absolute;
        // split only a path that has "..": a snapshot builds tens of thousands of paths, none of them with it
        if (rel.contains("..")) {
            for (String segment : rel.split("/")) {
                if (segment.equals("..")) {
                    throw new IllegalArgumentException("host path '" + absolute + "' has a '..' segment: refused");
                }
            }
        }
        return rel.isEmpty() ? root : root.resolve(rel);
    }

    /** True when {@code absolute} names a file inside {@code baseDir} (both host paths), after normalisation. */
    public static boolean isInside(String absolute, String baseDir) {
        Path p = Path.of(absolute).normalize();
        return p.equals(Path.of(absolute)) && p.startsWith(Path.of(baseDir)) && !p.equals(Path.of(baseDir));
    }

    public boolean exists(String absolute) {
        return Files.exists(path(absolute));
    }

    /** File content without trailing whitespace, or empty when the file is missing or unreadable. */
    public Optional<String> read(String absolute) {
        try {
            return Optional.of(Files.readString(path(absolute)).strip());
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    public List<String> lines(String absolute) {
        return read(absolute).map(s -> s.isEmpty() ? List.<String>of() : s.lines().toList()).orElse(List.of());
    }

    /**
     * A sysfs id attribute ("0x10de\n", as vendor, device and class are written), or {@code otherwise} when the file
     * is missing or holds anything else. Read from the bytes, without a string or an Optional: {@code groups} reads
     * three a function, thousands of times, in a JVM that has not compiled the layers yet.
     */
    public int readHexId(String absolute, int otherwise) {
        byte[] b;
        try {
            b = Files.readAllBytes(path(absolute));
        } catch (IOException | RuntimeException e) {
            return otherwise;
        }
        int end = b.length;
        while (end > 0 && (b[end - 1] == '\n' || b[end - 1] == ' ')) {
            end--;
        }
        if (end < 3 || end > 10 || b[0] != '0' || b[1] != 'x') {
            return otherwise;
        }
        int v = 0;
        for (int i = 2; i < end; i++) {
            int d = Character.digit(b[i], 16);
            if (d < 0) {
                return otherwise;
            }
            v = v << 4 | d;
        }
        return v;
    }

    /** Integer content: decimal, or hex with a 0x prefix (sysfs writes ids as 0x10de). */
    public Optional<Integer> readInt(String absolute) {
        return read(absolute).flatMap(HostRoot::parseInt);
    }

    static Optional<Integer> parseInt(String s) {
        try {
            String t = s.strip();
            return Optional.of(t.startsWith("0x") ? Integer.parseUnsignedInt(t.substring(2), 16) : Integer.parseInt(t));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /**
     * Sorted entry names of a directory; empty when it does not exist. Listed as names (java.io.File), not as a stream
     * of paths: a big host's device directory has thousands, and a missing directory (most devices have no net/) then
     * answers null instead of throwing.
     */
    public List<String> list(String absoluteDir) {
        String[] names;
        try {
            names = path(absoluteDir).toFile().list();
        } catch (RuntimeException e) {
            return List.of();
        }
        if (names == null) {
            return List.of();
        }
        java.util.Arrays.sort(names);
        return List.of(names);
    }

    /** The last element of a symlink's target ({@code driver -> ../../bus/pci/drivers/nvidia} gives "nvidia"). */
    public Optional<String> linkName(String absolute) {
        try {
            Path target = Files.readSymbolicLink(path(absolute));
            Path name = target.getFileName();
            return name == null ? Optional.empty() : Optional.of(name.toString());
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    @Override
    public String toString() {
        return root.toString();
    }
}
