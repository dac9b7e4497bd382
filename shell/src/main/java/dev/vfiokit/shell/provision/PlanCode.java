package dev.vfiokit.shell.provision;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Which code a plan was made by, for the plan memo's key: a build's version line names it only as well as its stamp,
 * and a module rebuilt alone keeps the others' stamp, so the memo hashes the code of every module planning runs
 * (a module's jar by its entries' sizes and CRC-32s, which its central directory records; a class directory, as in a development build, by each file's path, size and time; a
 * jar inside another, by the outer jar's size and time). Where the code cannot be told, there is no identity and
 * nothing is memoised.
 */
final class PlanCode {
    /** One class of each module whose code makes a plan: placement, generation, tuning, host facts, host targets. */
    private static final List<Class<?>> MODULES = List.of(ProvisionPlanner.class, dev.vfiokit.templates.DomainGenerator.class,
            dev.vfiokit.tuning.Tuner.class, dev.vfiokit.iommucheck.host.HostSnapshot.class, dev.vfiokit.vfio.HostTarget.class);
    private static final Pattern OUTER_JAR = Pattern.compile("(/[^!]*?\\.jar)");

    private PlanCode() {
    }

    /** The identity of this process's planning code, computed once (when first asked); null where it cannot be told. */
    static String identity() {
        return Once.IDENTITY;
    }

    private static final class Once {
        static final String IDENTITY = compute();
    }

    private static String compute() {
        List<URL> locations = new java.util.ArrayList<>();
        for (Class<?> c : MODULES) {
            CodeSource cs = c.getProtectionDomain().getCodeSource();
            if (cs == null || cs.getLocation() == null) {
                return null;
            }
            locations.add(cs.getLocation());
        }
        return of(locations);
    }

    /** The identity of the code at these locations (jars, class directories, nested jars); null where one cannot be told. */
    static String of(List<URL> locations) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            for (URL u : locations) {
                if (!add(md, u)) {
                    return null;
                }
            }
            return PlanMemo.hex(md.digest());
        } catch (IOException | NoSuchAlgorithmException | RuntimeException e) {
            return null;
        }
    }

    private static boolean add(MessageDigest md, URL location) throws IOException {
        if ("file".equals(location.getProtocol())) {
            Path p;
            try {
                p = Path.of(location.toURI());
            } catch (URISyntaxException e) {
                return false;
            }
            md.update(p.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
            if (Files.isDirectory(p)) {
                try (Stream<Path> files = Files.walk(p)) {
                    for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
                        md.update((p.relativize(f) + " " + Files.size(f) + " " + Files.getLastModifiedTime(f).toMillis() + "\n")
                                .getBytes(java.nio.charset.StandardCharsets.UTF_8));
                    }
                }
                return true;
            }
            if (!addJarEntries(md, p)) {
                try (InputStream in = Files.newInputStream(p)) {
                    byte[] buf = new byte[65536];
                    for (int n; (n = in.read(buf)) > 0; ) {
                        md.update(buf, 0, n);
                    }
                }
            }
            return true;
        }
        // nested (a jar inside the executable jar): the outer jar changes with every build
        Matcher m = OUTER_JAR.matcher(java.net.URLDecoder.decode(location.toString(), java.nio.charset.StandardCharsets.UTF_8));
        if (!m.find()) {
            return false;
        }
        Path outer = Path.of(m.group(1));
        if (!Files.isRegularFile(outer)) {
            return false;
        }
        md.update((location + " " + Files.size(outer) + " " + Files.getLastModifiedTime(outer).toMillis() + "\n")
                .getBytes(java.nio.charset.StandardCharsets.UTF_8));
        return true;
    }

    /**
     * A jar by its central directory: each entry's name, size and CRC-32 of its content (what the jar itself records),
     * not by hashing its bytes: SHA-256 over the planning modules' ~0.8 MB is ~50 ms of every provisioning command in a
     * JVM that runs C1 only. False where the file is not a zip; its bytes are hashed then.
     */
    private static boolean addJarEntries(MessageDigest md, Path jar) {
        try (java.util.zip.ZipFile z = new java.util.zip.ZipFile(jar.toFile())) {
            List<String> lines = new java.util.ArrayList<>();
            for (java.util.Enumeration<? extends java.util.zip.ZipEntry> e = z.entries(); e.hasMoreElements(); ) {
                java.util.zip.ZipEntry entry = e.nextElement();
                lines.add(entry.getName() + " " + entry.getSize() + " " + Long.toHexString(entry.getCrc()) + "\n");
            }
            java.util.Collections.sort(lines);
            for (String l : lines) {
                md.update(l.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            }
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
