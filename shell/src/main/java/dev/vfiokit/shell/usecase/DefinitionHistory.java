package dev.vfiokit.shell.usecase;

import dev.vfiokit.iommucheck.input.DomainXmlFacts;
import dev.vfiokit.iommucheck.input.InputFile;
import dev.vfiokit.iommucheck.input.SecureXml;
import dev.vfiokit.libvirt.LibvirtConnection;
import dev.vfiokit.shell.CommandFailure;
import dev.vfiokit.shell.ExitStatus;
import dev.vfiokit.vfio.PrivateFiles;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The definitions {@code tune --apply} replaced, kept so that {@code tune undo} puts one back: one directory per
 * libvirt host (an undo never lands on another host than the apply did), a file per kept definition, and beside it
 * the UUID of the machine it was kept on (a URI may reach another machine later). {@code undo --list} shows them.
 */
public final class DefinitionHistory {
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMddHHmmssSSS");
    private static final Pattern FILE = Pattern.compile("(.+)\\.(\\d{17})\\.xml");
    private final Path stateDir;

    /** @param stateDir the user's vfiokit state directory; definitions live in its tune-undo/ */
    public DefinitionHistory(Path stateDir) {
        this.stateDir = stateDir;
    }

    /** A kept definition: the host key it belongs to, the domain, when it was kept (yyyyMMddHHmmssSSS), its file. */
    public record Kept(String host, String domain, String time, Path file) {
    }

    private Path dir(String hostKey) {
        return stateDir.resolve("tune-undo").resolve(FileNames.encode(hostKey));
    }

    /** Keeps a definition before it is replaced; nothing is replaced when it cannot be kept. */
    public Path keep(String hostKey, String domain, String xml, String hostUuid) {
        Path dir = dir(hostKey);
        try {
            PrivateFiles.directories(stateDir, "tune-undo", FileNames.encode(hostKey));
            Path p = dir.resolve(FileNames.encode(domain) + "." + LocalDateTime.now().format(STAMP) + ".xml");
            PrivateFiles.write(p, xml.getBytes(StandardCharsets.UTF_8), true);
            if (hostUuid != null) {
                PrivateFiles.write(hostFile(p), hostUuid.getBytes(StandardCharsets.UTF_8), true);
            }
            return p;
        } catch (IOException e) {
            throw new CommandFailure(ExitStatus.IO, "cannot keep the previous definition under " + dir + ": " + e.getMessage()
                    + " (nothing was changed)");
        }
    }

    /** Every kept definition, by host, then domain, then time. */
    public List<Kept> list() {
        Path base = stateDir.resolve("tune-undo");
        List<Kept> out = new ArrayList<>();
        if (!Files.isDirectory(base)) {
            return out;
        }
        try (Stream<Path> hosts = Files.list(base)) {
            for (Path h : hosts.filter(Files::isDirectory).sorted().toList()) {
                try (Stream<Path> files = Files.list(h)) {
                    for (Path f : files.sorted().toList()) {
                        Matcher m = FILE.matcher(f.getFileName().toString());
                        if (m.matches()) {
                            out.add(new Kept(FileNames.decode(h.getFileName().toString()), FileNames.decode(m.group(1)), m.group(2), f));
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new CommandFailure(ExitStatus.IO, "cannot read " + base + ": " + e.getMessage());
        }
        return out;
    }

    /** The newest definition kept of a domain on a host. */
    public Optional<Path> latest(String hostKey, String domain) {
        Path dir = dir(hostKey);
        if (!Files.isDirectory(dir)) {
            return Optional.empty();
        }
        String encoded = FileNames.encode(domain);
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> {
                Matcher m = FILE.matcher(p.getFileName().toString());
                return m.matches() && m.group(1).equals(encoded);
            }).max(Comparator.comparing(Path::toString));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /**
     * Puts the newest kept definition of a domain back on the host {@code c} reaches, and forgets it: never on
     * another machine than it was kept on, never over another domain of that name.
     *
     * @return the file it came from
     */
    public Path restore(LibvirtConnection c, String hostKey, String domain) {
        Path saved = latest(hostKey, domain).orElseThrow(() -> new CommandFailure(ExitStatus.DATA,
                "no earlier definition of " + domain + " kept for " + hostKey + " (tune --apply keeps one per host)"));
        String kept = InputFile.read(saved, "kept definition");
        String keptOn = hostOf(saved);
        String here = c.hostUuid();
        if (keptOn != null && here != null && !keptOn.equals(here)) {
            throw new CommandFailure(ExitStatus.DATA, "the definition of " + domain + " was kept on host " + keptOn + ", and "
                    + c.uri() + " now reaches host " + here + ": not restored there");
        }
        String keptUuid = DomainXmlFacts.uuid(SecureXml.parse(kept, "kept definition").getDocumentElement());
        String nowUuid = c.domains().stream().filter(d -> d.name().equals(domain)).map(d -> d.uuid().toLowerCase(Locale.ROOT))
                .findFirst().orElse(null);
        if (nowUuid != null && keptUuid != null && !nowUuid.equals(keptUuid)) {
            throw new CommandFailure(ExitStatus.DATA, domain + " on " + c.uri() + " is another domain now (UUID " + nowUuid
                    + ", the kept one was " + keptUuid + "): not restored over it");
        }
        c.define(kept);
        return saved;
    }

    /** Forgets a kept definition once it is back. */
    public void forget(Path saved) {
        try {
            Files.delete(saved);
            Files.deleteIfExists(hostFile(saved));
        } catch (IOException e) {
            throw new CommandFailure(ExitStatus.IO, "restored, but cannot remove " + saved + ": " + e.getMessage());
        }
    }

    private static Path hostFile(Path saved) {
        return saved.resolveSibling(saved.getFileName().toString().replaceFirst("\\.xml$", ".host"));
    }

    /** The host UUID a definition was kept on, or null (kept before vfiokit recorded it, or the host did not say). */
    private static String hostOf(Path saved) {
        try {
            return Files.isRegularFile(hostFile(saved)) ? Files.readString(hostFile(saved)).strip() : null;
        } catch (IOException e) {
            return null;
        }
    }
}
