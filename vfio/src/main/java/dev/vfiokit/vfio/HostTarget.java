package dev.vfiokit.vfio;

import dev.vfiokit.iommucheck.host.HostRoot;

import java.nio.file.Path;
import java.util.List;
import java.util.function.Supplier;

/**
 * The host a command is aimed at, parsed once from {@code --host}, {@code --root} and {@code --connect}: the machine
 * itself, the embedded demo host, a host tree (a copy of a host, a fixture), or a host seen through libvirt alone.
 * It owns what may be done there: only the machine itself is changed and runs commands; the others are read, and
 * take {@code --dry-run}.
 */
public record HostTarget(Kind kind, HostRoot root, String uri) {
    public enum Kind { LOCAL, DEMO, TREE, LIBVIRT }

    public static HostTarget local() {
        return new HostTarget(Kind.LOCAL, HostRoot.local(), null);
    }

    public static HostTarget demo(Path root) {
        return new HostTarget(Kind.DEMO, new HostRoot(root), null);
    }

    public static HostTarget tree(Path root) {
        return new HostTarget(Kind.TREE, new HostRoot(root), null);
    }

    public static HostTarget libvirt(String uri) {
        return new HostTarget(Kind.LIBVIRT, null, uri);
    }

    /**
     * The target of a command's options. {@code --root} and {@code --connect} exclude each other and any
     * {@code --host} but local; {@code --host} is local or demo.
     */
    public static HostTarget parse(String host, String root, String connect, Supplier<Path> demoRoot) {
        boolean hostGiven = host != null && !host.isBlank() && !host.equals("local");
        boolean rootGiven = root != null && !root.isBlank();
        boolean connectGiven = connect != null && !connect.isBlank();
        if (rootGiven && connectGiven) {
            throw new IllegalArgumentException("give --root or --connect, not both");
        }
        if (hostGiven && rootGiven) {
            throw new IllegalArgumentException("give --host or --root, not both");
        }
        if (hostGiven && connectGiven) {
            throw new IllegalArgumentException("give --host or --connect, not both");
        }
        if (connectGiven) {
            return libvirt(connect);
        }
        if (rootGiven) {
            return tree(Path.of(root).toAbsolutePath().normalize());
        }
        if (!hostGiven) {
            return local();
        }
        if (host.equals("demo")) {
            return demo(demoRoot.get());
        }
        throw new IllegalArgumentException("unknown host '" + host + "' (expected local or demo, or --root PATH, or --connect URI)");
    }

    /** Only the machine itself is changed: a tree or the demo is a snapshot, a libvirt host is changed through libvirt. */
    public boolean changeable() {
        return kind == Kind.LOCAL;
    }

    /** The commands of this host: the machine's own on {@code /}, none anywhere else. */
    public HostCommands commands() {
        return kind == Kind.LOCAL ? SystemCommands.INSTANCE : new HostCommands.None(describe());
    }

    /** The options that name this target again, for hints the user can paste ({@code --host demo}, {@code --root T}). */
    public List<String> options() {
        return switch (kind) {
            case LOCAL -> List.of();
            case DEMO -> List.of("--host", "demo");
            case TREE -> List.of("--root", root.root().toString());
            case LIBVIRT -> List.of("--connect", uri);
        };
    }

    public String describe() {
        return switch (kind) {
            case LOCAL -> "this machine";
            case DEMO -> "the demo host";
            case TREE -> "the host tree " + root.root();
            case LIBVIRT -> "the libvirt host " + uri;
        };
    }
}
