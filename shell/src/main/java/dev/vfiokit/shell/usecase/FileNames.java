package dev.vfiokit.shell.usecase;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A name (a domain, a libvirt URI) as one file-name component: every byte but letters, digits and '-' is
 * percent-encoded, so distinct names never share a file ("we_ird__x_" and "we ird&<x>" once did) and no name can
 * be "..", hold a '/', or start with '.'. Long names keep a readable prefix and a digest of the whole.
 */
public final class FileNames {
    private static final int MAX = 150;

    private FileNames() {
    }

    public static String encode(String name) {
        byte[] b = name.getBytes(StandardCharsets.UTF_8);
        StringBuilder sb = new StringBuilder();
        for (byte x : b) {
            int c = x & 0xff;
            if (c < 0x80 && (Character.isLetterOrDigit(c) || c == '-')) {
                sb.append((char) c);
            } else {
                sb.append('%').append(String.format("%02X", c));
            }
        }
        if (sb.length() <= MAX) {
            return sb.toString();
        }
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(b);
            return sb.substring(0, 80).replaceAll("%[0-9A-F]?$", "") + "~" + HexFormat.of().formatHex(d);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The name a file-name component encodes; a long name, kept as prefix and digest, stays as written. */
    public static String decode(String file) {
        if (file.contains("~")) {
            return file;
        }
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (int i = 0; i < file.length(); i++) {
            char c = file.charAt(i);
            if (c == '%' && i + 2 < file.length()) {
                out.write(Integer.parseInt(file.substring(i + 1, i + 3), 16));
                i += 2;
            } else {
                out.write(c);
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }
}
