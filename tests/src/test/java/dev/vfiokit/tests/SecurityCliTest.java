package dev.vfiokit.tests;

import dev.vfiokit.iommucheck.fixture.FixtureHosts;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The attacks of the security review, replayed as a user (or a manifest's author) would try them on a root tool:
 * each must end at once with a one-line refusal and leave files, the machine and libvirt as they were.
 */
class SecurityCliTest {
    @TempDir
    static Path dir;

    private static Map<String, String> env;
    private static Path tree;
    private static Path fakes;
    private static Path calls;

    @BeforeAll
    static void aHostTreeAndAPathOfFakeHostCommands() throws Exception {
        tree = dir.resolve("tree");
        FixtureHosts.epycServer().writeTo(tree);
        Files.createDirectories(tree.resolve("etc/mdevctl.d/0000:a1:00.0"));
        fakes = Files.createDirectories(dir.resolve("fake-bin"));
        calls = dir.resolve("host-commands-called");
        // every host command vfiokit could run, first on PATH: each call is written down, and the tests demand none
        for (String c : List.of("ip", "modprobe", "nvidia-smi", "mdevctl", "driverctl", "update-initramfs")) {
            Path f = fakes.resolve(c);
            Files.writeString(f, "#!/bin/sh\necho \"" + c + " $*\" >> " + calls + "\nexit 0\n");
            Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        env = new HashMap<>(Map.of("XDG_CACHE_HOME", dir.resolve("cache").toString(), "XDG_STATE_HOME", dir.resolve("state").toString(),
                "XDG_CONFIG_HOME", dir.resolve("config").toString(), "PATH", fakes + ":" + System.getenv("PATH")));
    }

    private static Cli.Result run(String... args) throws Exception {
        return Cli.run(env, args);
    }

    private static void assertOneLineRefusal(Cli.Result r, int code) {
        assertThat(r.exitCode()).as(r.err()).isEqualTo(code);
        assertThat(r.err().strip()).startsWith("vfiokit: ").doesNotContain("\n").doesNotContain("Exception").doesNotContain("internal error");
    }

    @Test
    void anMdevUuidThatTraversesDeletesNothingAndCopiesNothing() throws Exception {
        Path victim = Files.writeString(dir.resolve("victim.txt"), "root-only content\n");
        String hostile = "../../../../" + dir.relativize(victim);
        for (List<String> extra : List.of(List.<String>of(), List.of("--dry-run"))) {
            List<String> args = new java.util.ArrayList<>(List.of("mdev", "persist", "remove", "--root", tree.toString(), "--uuid", hostile));
            args.addAll(extra);
            Cli.Result r = run(args.toArray(String[]::new));
            assertOneLineRefusal(r, 64);
            assertThat(r.err()).contains("is not an mdev UUID");
        }
        assertThat(victim).hasContent("root-only content");
        try (Stream<Path> s = Files.walk(dir)) {
            assertThat(s.filter(p -> p.toString().contains("journal"))).isEmpty();
        }
    }

    @Test
    void aHostTreeRunsNoCommandOfThisMachineAndIsNeverWritten() throws Exception {
        String before = listing(tree);
        assertOneLineRefusal(run("vf", "set", "--root", tree.toString(), "--pf", "ens1f0np0", "--vf", "0", "--vlan", "7"), 64);
        assertOneLineRefusal(run("bind", "--root", tree.toString(), "--device", "0000:61:00.0", "--group"), 64);
        assertOneLineRefusal(run("vf", "create", "--root", tree.toString(), "--pf", "ens1f0np0", "--count", "2"), 64);
        assertOneLineRefusal(run("vf", "set", "--host", "demo", "--pf", "ens1f0np0", "--vf", "0", "--vlan", "7"), 64);
        Cli.Result dry = run("bind", "--root", tree.toString(), "--device", "0000:61:00.0", "--group", "--dry-run");
        assertThat(dry.exitCode()).as(dry.err()).isZero();
        assertThat(dry.out()).contains("dry run, nothing changed");
        assertThat(calls).doesNotExist();
        assertThat(listing(tree)).isEqualTo(before);
    }

    @Test
    void aNodeDeviceLibvirtDescribesOutOfRangeIsOneLineNamingItNotAUsageError() throws Exception {
        // libvirt's nodedevschemadata/pci_0000_00_02_0_header_type.xml has bus 4294967295; here in a test-driver host
        String node = "<node><cpu><nodes>1</nodes><sockets>1</sockets><cores>2</cores><threads>1</threads><active>2</active>"
                + "<mhz>2000</mhz><model>i686</model></cpu><memory>2097152</memory><device><name>pci_0000_00_02_0</name>"
                + "<parent>computer</parent><capability type='pci'><class>0xffffff</class><domain>0</domain><bus>BUS</bus>"
                + "<slot>2</slot><function>0</function><product id='0x0416'>Integrated Graphics</product>"
                + "<vendor id='0x8086'>Intel Corporation</vendor></capability></device></node>\n";
        Path bad = Files.writeString(dir.resolve("badnode.xml"), node.replace("BUS", "4294967295"));
        Cli.Result r = run("devices", "--connect", "test://" + bad);
        assertOneLineRefusal(r, 69);
        assertThat(r.err().strip()).isEqualTo("vfiokit: libvirt described node device pci_0000_00_02_0 with a value vfiokit cannot read: "
                + "<bus>4294967295</bus> is not a number below 2^31");
        Path good = Files.writeString(dir.resolve("goodnode.xml"), node.replace("BUS", "0"));
        Cli.Result ok = run("devices", "--connect", "test://" + good);
        assertThat(ok.exitCode()).as(ok.err()).isZero();
        assertThat(ok.out()).contains("0000:00:02.0").contains("8086:0416");
    }

    @Test
    void aTestDriverUriNeverEchoesTheFileItNames() throws Exception {
        Path secret = Files.writeString(dir.resolve("secret.xml"), "<secret>TOPSECRET-1</secret>\n");
        Path plain = Files.writeString(dir.resolve("secret.txt"), "TOPSECRET-2:x:0:0\n");
        for (Path f : List.of(secret, plain, Path.of("/etc/passwd"), dir.resolve("missing.xml"))) {
            Cli.Result r = run("devices", "--connect", "test://" + f);
            assertOneLineRefusal(r, 64);
            assertThat(r.err()).contains("cannot read the test driver file " + f).doesNotContain("TOPSECRET").doesNotContain("root:x:0");
            assertThat(r.out()).doesNotContain("TOPSECRET").doesNotContain("root:x:0");
        }
        Path manifest = Files.writeString(dir.resolve("leak.yaml"), "hosts:\n  h: test://" + plain + "\nvms:\n  - name: a\n    host: h\n"
                + "    template: gpu-compute\n");
        Cli.Result r = run("provision", "plan", "--file", manifest.toString());
        assertThat(r.err() + r.out()).doesNotContain("TOPSECRET");
        assertThat(r.exitCode()).isNotZero();
        Cli.Result scheme = run("devices", "--connect", "xen:///system");
        assertOneLineRefusal(scheme, 64);
        assertThat(scheme.err()).contains("vfiokit connects with qemu, qemu+ssh");
    }

    @Test
    void keptDefinitionsArePrivateAndBelongToTheHostTheyCameFrom() throws Exception {
        Cli.Result g = run("domain", "generate", "--host", "demo", "--template", "gpu-compute", "--name", "sec vm&<1>", "--gpu", "0000:41:00.0",
                "--define");
        assertThat(g.exitCode()).as(g.err()).isZero();
        Cli.Result t = run("tune", "--domain", "sec vm&<1>", "--profile", "compute-headless", "--host", "demo", "--apply");
        assertThat(t.exitCode()).as(t.err()).isZero();
        assertThat(t.out()).contains("(vfiokit tune undo --domain 'sec vm&<1>' --host demo)");
        Path state = dir.resolve("state/vfiokit");
        Path undo = state.resolve("tune-undo/demo");
        for (Path d : List.of(state, state.resolve("tune-undo"), undo)) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(d))).as(d.toString()).isEqualTo("rwx------");
        }
        try (Stream<Path> s = Files.list(undo)) {
            List<Path> kept = s.toList();
            assertThat(kept).singleElement().satisfies(p -> {
                assertThat(p.getFileName().toString()).startsWith("sec%20vm%26%3C1%3E.");
                assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(p))).isEqualTo("rw-------");
            });
        }
        Cli.Result elsewhere = run("tune", "undo", "--domain", "sec vm&<1>", "--connect", "test:///default");
        assertOneLineRefusal(elsewhere, 65);
        Cli.Result back = run("tune", "undo", "--domain", "sec vm&<1>", "--host", "demo");
        assertThat(back.exitCode()).as(back.err()).isZero();
        // a state directory others can write is refused, and nothing is redefined
        Files.setPosixFilePermissions(state, PosixFilePermissions.fromString("rwxrwxrwx"));
        try {
            Cli.Result open = run("tune", "--domain", "sec vm&<1>", "--profile", "compute-headless", "--host", "demo", "--apply");
            assertOneLineRefusal(open, 65);
            assertThat(open.err()).contains("writable by other users");
        } finally {
            Files.setPosixFilePermissions(state, PosixFilePermissions.fromString("rwx------"));
        }
        Cli.Result xml = run("domain", "dumpxml", "--name", "sec vm&<1>", "--host", "demo");
        assertThat(xml.out()).doesNotContain("vcpupin");
        assertThat(run("domain", "undefine", "--name", "sec vm&<1>", "--host", "demo").exitCode()).isZero();
    }

    @Test
    void fifosAndOversizedOrDeeplyNestedInputsEndAtOnceWithUsageErrors() throws Exception {
        Path fifo = dir.resolve("fifo");
        new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor();
        Path big = dir.resolve("big.xml");
        try (var ch = java.nio.channels.FileChannel.open(big, java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.WRITE)) {
            ch.write(java.nio.ByteBuffer.wrap("<domain>".getBytes()), 17L * 1024 * 1024);
        }
        Path deep = Files.writeString(dir.resolve("deep.xml"), "<domain>" + "<a>".repeat(200) + "</a>".repeat(200) + "</domain>");
        Path bomb = Files.writeString(dir.resolve("bomb.yaml"), "a: &a [x, x, x, x, x, x, x, x, x]\n" + java.util.stream.IntStream.range(1, 60)
                .mapToObj(i -> (char) ('a' + i % 26) + "" + i + ": &" + "n" + i + " [" + (i == 1 ? "*a" : "*n" + (i - 1)) + ", " + (i == 1 ? "*a" : "*n" + (i - 1)) + "]\n")
                .reduce("", String::concat));
        Path broken = Files.writeString(dir.resolve("broken.xml"), "<domain type='kvm'>\n  <name>x</name>\n  <devices>\n</domain>\n");
        Path nested = Files.writeString(dir.resolve("nested.yaml"), "hosts: " + "[".repeat(80) + "]".repeat(80) + "\n");
        record Case(List<String> args, String says) {
        }
        for (Case c : List.of(
                new Case(List.of("domain", "define", "--file", fifo.toString(), "--host", "demo"), "not a regular file"),
                new Case(List.of("tune", "--file", fifo.toString(), "--profile", "balanced", "--host", "demo"), "not a regular file"),
                new Case(List.of("provision", "plan", "--file", fifo.toString()), "not a regular file"),
                new Case(List.of("--script", fifo.toString()), "not a regular file"),
                new Case(List.of("tune", "--file", big.toString(), "--profile", "balanced", "--host", "demo"), "larger than the 16 MiB"),
                new Case(List.of("tune", "--file", deep.toString(), "--profile", "balanced", "--host", "demo"), "nested deeper than 100 levels"),
                new Case(List.of("tune", "--file", broken.toString(), "--profile", "balanced", "--host", "demo"), broken + ":4: not well-formed XML: "),
                new Case(List.of("provision", "plan", "--file", bomb.toString()), "too many aliases"),
                new Case(List.of("provision", "plan", "--file", nested.toString()), "nested deeper than 50 levels"),
                new Case(List.of("tune", "--file", dir.toString(), "--profile", "balanced", "--host", "demo"), "is a directory"))) {
            // Cli gives up (and fails the test) on a command that does not end: a FIFO read would block for ever
            Cli.Result r = run(c.args().toArray(String[]::new));
            assertOneLineRefusal(r, 64);
            assertThat(r.err()).as(String.join(" ", c.args())).contains(c.says());
        }
    }

    @Test
    void aDefineVfiokitRefusesLeavesLibvirtAsItWas() throws Exception {
        Path doctype = Files.writeString(dir.resolve("doctype.xml"), "<?xml version=\"1.0\"?>\n<!DOCTYPE domain>\n<domain type='kvm'>"
                + "<name>doctype-vm</name><memory>1048576</memory><os><type arch='x86_64' machine='q35'>hvm</type></os></domain>\n");
        Cli.Result r = run("domain", "define", "--file", doctype.toString(), "--host", "demo");
        assertOneLineRefusal(r, 64);
        assertThat(r.err()).contains("DOCTYPE declarations are not accepted", "(line 2)");
        Path huge = Files.writeString(dir.resolve("huge.xml"), "<domain type='kvm'><name>huge-vm</name><description>" + "x".repeat(11_000_000)
                + "</description><memory>1048576</memory><os><type arch='x86_64' machine='q35'>hvm</type></os></domain>\n");
        Cli.Result h = run("domain", "define", "--file", huge.toString(), "--host", "demo");
        assertOneLineRefusal(h, 64);
        assertThat(h.err()).contains("libxml2's limit");
        Cli.Result list = run("domain", "list", "--host", "demo", "--json");
        assertThat(list.exitCode()).as(list.err()).isZero();
        assertThat(list.out()).doesNotContain("doctype-vm").doesNotContain("huge-vm");
    }

    @Test
    void anOutputFileVfiokitDidNotWriteIsNeverReplacedAndARefusedOneDefinesNothing() throws Exception {
        Path fstab = Files.writeString(dir.resolve("fstab"), "UUID=1234 / ext4 defaults 0 1\n");
        Path link = Files.createSymbolicLink(dir.resolve("passwd-link.xml"), fstab);
        for (String[] args : List.of(
                new String[] {"domain", "generate", "--template", "gpu-compute", "--name", "out-vm", "--host", "demo", "--define", "-o", fstab.toString()},
                new String[] {"domain", "generate", "--template", "gpu-compute", "--name", "out-vm", "--host", "demo", "-o", link.toString()},
                new String[] {"domain", "generate", "--template", "gpu-compute", "--name", "out-vm", "--host", "demo", "-o", "/dev/null"},
                new String[] {"network", "vf-pool", "--name", "pool", "--pf", "ens1f0np0", "--host", "demo", "--define", "-o", fstab.toString()},
                new String[] {"export", "nova", "--host", "demo", "--output", fstab.toString()})) {
            Cli.Result r = run(args);
            assertOneLineRefusal(r, 65);
            assertThat(r.err()).containsAnyOf("vfiokit did not write it", "it is not a regular file");
        }
        assertThat(Files.readString(fstab)).isEqualTo("UUID=1234 / ext4 defaults 0 1\n");
        assertThat(Files.isSymbolicLink(link)).isTrue();
        // refused before the define: libvirt has neither the domain nor the network
        assertThat(run("domain", "list", "--host", "demo", "--json").out()).doesNotContain("out-vm");
        // vfiokit's own output is replaced, and the same output left as it is
        Path mine = dir.resolve("out-vm.xml");
        assertThat(run("domain", "generate", "--template", "gpu-compute", "--name", "out-vm", "--host", "demo", "-o", mine.toString()).out())
                .isEqualTo("wrote " + mine + "\n");
        assertThat(run("domain", "generate", "--template", "gpu-compute", "--name", "out-vm", "--host", "demo", "-o", mine.toString()).out())
                .isEqualTo("unchanged " + mine + "\n");
        Cli.Result again = run("domain", "generate", "--template", "gpu-compute", "--name", "out-vm", "--vcpus", "4", "--host", "demo",
                "-o", mine.toString());
        assertThat(again.exitCode()).as(again.err()).isZero();
        assertThat(Files.readString(mine)).contains("<vcpu placement=\"static\">4</vcpu>");
    }

    private static String listing(Path root) throws Exception {
        try (Stream<Path> s = Files.walk(root)) {
            return String.join("\n", s.map(p -> {
                try {
                    return root.relativize(p) + " " + (Files.isRegularFile(p, java.nio.file.LinkOption.NOFOLLOW_LINKS) ? Files.size(p) + " "
                            + Files.getLastModifiedTime(p) : "");
                } catch (java.io.IOException e) {
                    return p.toString();
                }
            }).sorted().toList());
        }
    }
}
