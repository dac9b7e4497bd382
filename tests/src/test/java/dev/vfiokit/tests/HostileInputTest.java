package dev.vfiokit.tests;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Careless and hostile input to every command, as a table: each line must end with its documented exit code, one
 * stderr line that names no Java class, and nothing changed on the demo host. The table runs as one script (one
 * JVM), whose per-line "exited N" lines give each command's code.
 */
class HostileInputTest {
    @TempDir
    static Path dir;

    private static Map<String, String> env;

    record Row(String command, Set<Integer> codes, String says) {
        static Row of(String command, int code, String says) {
            return new Row(command, Set.of(code), says);
        }
    }

    @BeforeAll
    static void isolate() {
        env = Map.of("XDG_CACHE_HOME", dir.resolve("cache").toString(), "XDG_STATE_HOME", dir.resolve("state").toString(),
                "XDG_CONFIG_HOME", dir.resolve("config").toString());
    }

    @Test
    void noUserInputReachesAnInternalErrorAndNothingChanges() throws Exception {
        Path empty = Files.writeString(dir.resolve("empty.xml"), "");
        Path latin1 = Files.write(dir.resolve("latin1.xml"), "<domain type='kvm'><name>caf\u00e9</name></domain>".getBytes("ISO-8859-1"));
        Path entity = Files.writeString(dir.resolve("entity.xml"), "<!DOCTYPE d [<!ENTITY a 'aaaa'><!ENTITY b '&a;&a;&a;'>]>\n<domain>&b;</domain>");
        Path dup = Files.writeString(dir.resolve("dup.yaml"), "hosts: {demo: demo}\nhosts: {x: demo}\nvms: []\n");
        Path wrongType = Files.writeString(dir.resolve("type.yaml"), "hosts: {demo: demo}\nvms:\n  - name: a\n    host: demo\n"
                + "    template: gpu-compute\n    vcpus: many\n");
        Path hugeCount = Files.writeString(dir.resolve("count.yaml"), "hosts: {demo: demo}\nvms:\n  - name: a\n    host: demo\n"
                + "    template: gpu-compute\n    vcpus: 99999999999999999999\n");
        Path tag = Files.writeString(dir.resolve("tag.yaml"), "hosts: !!javax.script.ScriptEngineManager [x]\nvms: []\n");
        Path notAManifest = Files.writeString(dir.resolve("list.yaml"), "- a\n- b\n");
        Path ok = Files.writeString(dir.resolve("ok.xml"), "<domain type='kvm'><name>ok</name><memory>1048576</memory>"
                + "<os><type arch='x86_64' machine='q35'>hvm</type></os></domain>");
        String longName = "n".repeat(10_000);
        List<Row> rows = List.of(
                Row.of("frob", 64, "unknown command"),
                Row.of("check --host demo --frob", 64, "frob"),
                Row.of("check --host demo --root " + dir, 64, "not both"),
                Row.of("check --host gpu7", 64, "unknown host 'gpu7'"),
                Row.of("check --host demo --device zz:zz.z", 64, "zz:zz.z"),
                Row.of("check --host demo --device 0000:99:00.0", 64, "0000:99:00.0"),
                Row.of("devices --host demo --class nonsense", 64, "nonsense"),
                Row.of("bind --host demo --device 0000:41:00.0 --group", 64, "--dry-run"),
                Row.of("bind --host demo --device '0000:41:00.0;reboot' --dry-run", 64, "0000:41:00.0;reboot"),
                Row.of("bind --host demo --dry-run", 64, "device"),
                Row.of("unbind --host demo --device 0000:41:00.0 --restore", 64, "--dry-run"),
                Row.of("vf create --host demo --pf ens1f0np0 --count lots --dry-run", 64, "lots"),
                Row.of("vf create --host demo --pf ens1f0np0 --count 99999 --dry-run", 65, "ERANGE"),
                Row.of("vf create --host demo --pf 'ens1f0np0 up' --count 2 --dry-run", 64, "ens1f0np0 up"),
                Row.of("vf set --host demo --pf ens1f0np0 --vf 0 --mac 01:00:5e:00:00:01 --dry-run", 64, "unicast"),
                Row.of("vf set --host demo --pf ens1f0np0 --vf 0 --vlan 5000 --dry-run", 64, "0-4095"),
                Row.of("mdev remove --host demo --uuid '../../etc/passwd' --dry-run", 64, "is not an mdev UUID"),
                Row.of("mdev create --host demo --parent 0000:a1:00.0 --type nvidia-222 --count 100000 --dry-run", 65, "ENOSPC"),
                Row.of("mdev create --host demo --parent 0000:a1:00.0 --type 'no such type' --dry-run", 64, "no type"),
                Row.of("domain generate --host demo --template nope --name x", 64, "unknown template 'nope'"),
                Row.of("domain generate --host demo --template gpu-compute --name 'a/b' --gpu 0000:41:00.0", 64, "a/b"),
                Row.of("domain generate --host demo --template gpu-compute --name x --gpu 0000:41:00.0 --memory lots", 64, "lots"),
                Row.of("domain generate --host demo --template gpu-compute --name x --gpu 0000:41:00.0 --vcpus -3", 64, "-3"),
                Row.of("domain generate --host demo --template gpu-compute --name x --mdev not-a-uuid", 64, "not-a-uuid"),
                Row.of("domain generate --host demo --template vgpu-desktop --name m1 --mdev-type 'GRID T4-1B' -o " + dir.resolve("m.xml"), 65,
                        "(vfiokit mdev create --parent 0000:a1:00.0 --type 'GRID T4-1B' --dry-run --host demo shows how)"),
                Row.of("domain generate --host demo --template gpu-compute --name " + longName + " --gpu 0000:41:00.0 -o "
                        + dir.resolve("long.xml"), 64, "longer than 255 bytes"),
                Row.of("domain generate --host demo --template gpu-compute --name \"x<&>'q\" --gpu 0000:41:00.0 -o "
                        + dir.resolve("special.xml"), 0, ""),
                Row.of("domain define --host demo --file " + empty, 64, "is empty"),
                Row.of("domain define --host demo --file " + latin1, 64, "not UTF-8"),
                Row.of("domain define --host demo --file " + entity, 64, "DOCTYPE"),
                Row.of("domain define --host demo --file " + dir, 64, "is a directory"),
                Row.of("domain define --host demo --file " + dir.resolve("missing.xml"), 64, "no such file"),
                Row.of("domain define --host demo", 64, "file"),
                Row.of("domain start --host demo", 64, "name"),
                Row.of("domain start --host demo --name no-such-vm", 69, "no-such-vm"),
                Row.of("tune --file " + ok + " --domain ok --profile balanced --host demo", 64, "--file FILE or --domain NAME"),
                Row.of("tune --profile balanced --host demo", 64, "--file FILE or --domain NAME"),
                Row.of("tune --file " + ok + " --profile fast --host demo", 64, "unknown profile 'fast'"),
                Row.of("tune --file " + empty + " --profile balanced --host demo", 64, "is empty"),
                Row.of("provision plan --file " + dup, 64, "dup.yaml:2"),
                Row.of("provision plan --file " + wrongType, 64, "type.yaml:6"),
                Row.of("provision plan --file " + hugeCount, 64, "count.yaml:6"),
                Row.of("provision plan --file " + tag, 64, "tag.yaml:1"),
                Row.of("provision plan --file " + notAManifest, 64, "list.yaml:1"),
                Row.of("connect --uri 'qemu+ext:///system?command=/bin/sh'", 64, "vfiokit connects with"),
                Row.of("undo --host demo --list --json", 0, ""));
        Cli.Result before = Cli.run(env, "domain", "list", "--host", "demo", "--json");
        assertThat(before.exitCode()).as(before.err()).isZero();
        Path script = dir.resolve("table.vfk");
        StringBuilder sb = new StringBuilder();
        rows.forEach(r -> sb.append(r.command()).append('\n'));
        Files.writeString(script, sb);
        Cli.Result r = Cli.run(env, "--script", script.toString(), "--continue-on-error");
        // stderr: for each failing line, its one error line, then "vfiokit: FILE:LINE: 'COMMAND' exited N"
        Pattern exited = Pattern.compile("^vfiokit: " + Pattern.quote(script.toString()) + ":(\\d+): '.*' exited (\\d+)$");
        Map<Integer, Integer> codes = new java.util.HashMap<>();
        Map<Integer, List<String>> messages = new java.util.HashMap<>();
        List<String> pending = new ArrayList<>();
        for (String line : r.err().split("\n")) {
            Matcher m = exited.matcher(line);
            if (m.matches()) {
                codes.put(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)));
                messages.put(Integer.parseInt(m.group(1)), List.copyOf(pending));
                pending.clear();
            } else if (!line.isBlank()) {
                pending.add(line);
            }
        }
        assertThat(pending).as("stderr lines of commands that exited 0").isEmpty();
        org.assertj.core.api.SoftAssertions soft = new org.assertj.core.api.SoftAssertions();
        for (int i = 0; i < rows.size(); i++) {
            Row row = rows.get(i);
            int code = codes.getOrDefault(i + 1, 0);
            List<String> msg = messages.getOrDefault(i + 1, List.of());
            String shown = row.command().length() > 120 ? row.command().substring(0, 120) + "..." : row.command();
            soft.assertThat(row.codes()).as("exit code of: " + shown + " " + msg).contains(code);
            if (code != 0 && msg.size() != 1) {
                soft.fail("stderr of " + shown + " is not one line: " + msg);
            } else if (code != 0) {
                soft.assertThat(msg.get(0)).as(shown).startsWith("vfiokit: ").contains(row.says())
                        .doesNotContainPattern("(java|javax|org|com|dev)\\.[a-z]+\\.").doesNotContain("Exception")
                        .doesNotContain("internal error");
            }
        }
        soft.assertAll();
        Cli.Result after = Cli.run(env, "domain", "list", "--host", "demo", "--json");
        assertThat(after.out()).isEqualTo(before.out());
    }

    @Test
    void namesWithNewlinesAndControlCharactersAreRefusedInOneLine() throws Exception {
        Cli.Result r = Cli.run(env, "domain", "generate", "--host", "demo", "--template", "gpu-compute", "--name", "two\nlines",
                "--gpu", "0000:41:00.0");
        assertThat(r.exitCode()).isEqualTo(64);
        assertThat(r.err().strip()).doesNotContain("\n").startsWith("vfiokit: ");
    }
}
