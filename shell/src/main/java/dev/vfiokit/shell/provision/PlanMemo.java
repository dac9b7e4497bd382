package dev.vfiokit.shell.provision;

import dev.vfiokit.iommucheck.host.PciAddress;
import dev.vfiokit.tuning.NumaLedger;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What planning each VM of one manifest gave the last time, keyed by everything that plan read (see
 * {@link ProvisionPlanner}): a VM planned before with the same inputs is not generated and tuned again, by plan nor
 * by the apply after it. Kept in the user's cache directory, 0600; a file that is missing, from another format or
 * not whole (its last line is a CRC-32C of the rest: a check against a torn or damaged file, which a
 * digest would not do better, at a fraction of the time on 1,000 VMs' XML) is no memo, and a memo that cannot be written costs only speed.
 */
final class PlanMemo {
    private static final String HEADER = "vfiokit provision memo 2";

    /** One VM as planned: its stamp and XML, its actions after the first, the devices it took, its NUMA claim. */
    record Entry(String stamp, String xml, List<String> actions, List<PciAddress> taken, NumaLedger.Claim claim) {
        Entry {
            actions = List.copyOf(actions);
            taken = List.copyOf(taken);
        }
    }

    private final Path file;
    private final Map<String, Entry> before;
    private final Map<String, Entry> now = new LinkedHashMap<>();

    private PlanMemo(Path file, Map<String, Entry> before) {
        this.file = file;
        this.before = before;
    }

    /** No memo: every VM is planned in full (tests, and a manifest read from nowhere that has a path). */
    static PlanMemo none() {
        return new PlanMemo(null, Map.of());
    }

    /** The memo of a manifest, in {@code dir}; the file is named by the manifest's absolute path. */
    static PlanMemo of(Path dir, String manifest) {
        String name = hex(sha256(Path.of(manifest).toAbsolutePath().normalize().toString())).substring(0, 24) + ".memo";
        Path f = dir.resolve(name);
        return new PlanMemo(f, read(f));
    }

    /** The entry for this key, if the last plan made it; it is kept for the next plan as well. */
    synchronized Entry get(String key) {
        Entry e = before.get(key);
        if (e != null) {
            now.put(key, e);
        }
        return e;
    }

    synchronized void put(String key, Entry e) {
        now.put(key, e);
    }

    /** Writes what this plan used and made, when it differs from what was read. */
    synchronized void save() {
        if (file == null || now.equals(before)) {
            return;
        }
        StringBuilder sb = new StringBuilder(HEADER).append('\n');
        Base64.Encoder b64 = Base64.getEncoder();
        now.forEach((key, e) -> {
            NumaLedger.Claim c = e.claim();
            sb.append(key).append('\t').append(e.stamp()).append('\t')
                    .append(e.taken().isEmpty() ? "-" : String.join(",", e.taken().stream().map(PciAddress::toString).toList())).append('\t')
                    .append(c == null ? "none" : (c.cpus().isEmpty() ? "-" : String.join(",", c.cpus().stream().map(String::valueOf).toList()))
                            + ":" + (c.pageNode() == null ? "-" : c.pageNode() + "/" + c.pageKib() + "/" + c.pageCount())).append('\t')
                    .append(b64.encodeToString(String.join("\u001f", e.actions()).getBytes(StandardCharsets.UTF_8))).append('\t')
                    .append(b64.encodeToString(e.xml().getBytes(StandardCharsets.UTF_8))).append('\n');
        });
        String sum = checksum(sb.toString());
        sb.append("end ").append(sum).append('\n');
        try {
            dev.vfiokit.vfio.PrivateFiles.directory(file.getParent());
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            dev.vfiokit.vfio.PrivateFiles.write(tmp, sb.toString().getBytes(StandardCharsets.UTF_8), false);
            Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException | RuntimeException e) {
            // a memo is only a speed-up: the plan stands without it
        }
    }

    private static Map<String, Entry> read(Path f) {
        try {
            if (!Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS) || !ours(f) || !ours(f.getParent())) {
                return Map.of();
            }
            String text = Files.readString(f, StandardCharsets.UTF_8);
            int end = text.lastIndexOf("end ");
            if (!text.startsWith(HEADER + "\n") || end < 0 || !text.substring(end).strip().equals("end " + checksum(text.substring(0, end)))) {
                return Map.of();
            }
            Map<String, Entry> out = new LinkedHashMap<>();
            Base64.Decoder b64 = Base64.getDecoder();
            for (String line : text.substring(HEADER.length() + 1, end).split("\n")) {
                if (line.isEmpty()) {
                    continue;
                }
                String[] f6 = line.split("\t", -1);
                List<PciAddress> taken = f6[2].equals("-") ? List.of() : java.util.Arrays.stream(f6[2].split(",")).map(PciAddress::parse).toList();
                String actions = new String(b64.decode(f6[4]), StandardCharsets.UTF_8);
                out.put(f6[0], new Entry(f6[1], new String(b64.decode(f6[5]), StandardCharsets.UTF_8),
                        actions.isEmpty() ? List.of() : List.of(actions.split("\u001f", -1)), taken, claim(f6[3])));
            }
            return out;
        } catch (IOException | RuntimeException e) {
            return Map.of();
        }
    }

    /**
     * Whether only this process's user could have written {@code p}: owned by it, and writable by no group or other.
     * A memo's XML is defined as it stands, so under {@code sudo -E} (root, with a user's XDG_CACHE_HOME) a file the
     * user could write is no memo: it would let that user choose what root defines.
     */
    private static boolean ours(Path p) throws IOException {
        Object uid = Files.getAttribute(p, "unix:uid", LinkOption.NOFOLLOW_LINKS);
        var perms = Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS);
        return uid.equals(Files.getAttribute(Path.of("/proc/self"), "unix:uid"))
                && !perms.contains(java.nio.file.attribute.PosixFilePermission.GROUP_WRITE)
                && !perms.contains(java.nio.file.attribute.PosixFilePermission.OTHERS_WRITE);
    }

    private static NumaLedger.Claim claim(String s) {
        if (s.equals("none")) {
            return null;
        }
        String[] parts = s.split(":", -1);
        List<Integer> cpus = parts[0].equals("-") ? List.of() : java.util.Arrays.stream(parts[0].split(",")).map(Integer::valueOf).toList();
        if (parts[1].equals("-")) {
            return new NumaLedger.Claim(cpus, null, 0, 0);
        }
        String[] p = parts[1].split("/");
        return new NumaLedger.Claim(cpus, Integer.valueOf(p[0]), Long.parseLong(p[1]), Long.parseLong(p[2]));
    }

    private static String checksum(String s) {
        java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
        crc.update(s.getBytes(StandardCharsets.UTF_8));
        return Long.toHexString(crc.getValue());
    }

    static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static String hex(byte[] b) {
        return HexFormat.of().formatHex(b);
    }

    /** The keys this plan used or made, in order (tests). */
    synchronized List<String> keys() {
        return new ArrayList<>(now.keySet());
    }
}
