package dev.vfiokit.shell;

import dev.vfiokit.libvirt.LibvirtConnection;
import dev.vfiokit.shell.cli.CompletedWith;
import dev.vfiokit.libvirt.LibvirtUri;
import dev.vfiokit.shell.usecase.MeasureLoss;
import dev.vfiokit.tuning.RuleCatalogue;
import dev.vfiokit.tuning.loss.LossCause;
import dev.vfiokit.tuning.loss.LossComparison;
import dev.vfiokit.tuning.loss.LossMeasurement;
import dev.vfiokit.tuning.loss.Samples;
import dev.vfiokit.tuning.loss.Workload;
import dev.vfiokit.tuning.loss.WorkloadFailed;
import dev.vfiokit.vfio.HostTarget;
import org.springframework.shell.core.command.annotation.Command;
import org.springframework.shell.core.command.annotation.Option;
import org.springframework.stereotype.Component;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** loss measure|compare|list: the same workload on this host and in a guest, the loss and its causes. */
@Component
public class LossCommands {
    private final LibvirtTargets targets;
    private final HostSelection hosts;

    public LossCommands(LibvirtTargets targets, HostSelection hosts) {
        this.targets = targets;
        this.hosts = hosts;
    }

    @Command(name = "loss measure", group = "Loss", description = "Run one workload on this host and inside a running or "
            + "shut-off guest (through its qemu-guest-agent), alternately, and report the medians, the loss and the band it "
            + "falls in for the guest's device kind, with the causes vfiokit sees and the tuning rule for each; the result is "
            + "saved for loss compare. Example: vfiokit loss measure --domain trainer-01 --workload cpu --repeat 5")
    public CommandOutput measure(
            @CompletedWith("domainNames") @Option(longName = "domain", required = true, description = "the guest (a defined libvirt domain; a provisioned VM by its name)") String domain,
            @Option(longName = "workload", description = "cpu (default), memory, storage, or command (then --command)") String workload,
            @Option(longName = "size", description = "MiB the built-in workload works through (default cpu 1024, memory 32768, storage 1024)") Long size,
            @Option(longName = "dir", description = "directory the storage workload writes to, on both sides (default /var/tmp)") String dir,
            @Option(longName = "command", description = "your own program and its arguments, the same on host and guest, e.g. '/opt/bench/run --quick'") String command,
            @Option(longName = "repeat", description = "measured runs on each side (default 5)") Integer repeat,
            @Option(longName = "warmup", description = "unmeasured runs on each side first (default 1)") Integer warmup,
            @Option(longName = "boot-timeout", description = "seconds to wait for the guest agent after a start (default 300)") Integer bootTimeout,
            @Option(longName = "run-timeout", description = "seconds one run may take (default 600)") Integer runTimeout,
            @Option(longName = "after", description = "for a guest this started: shutdown (default), destroy or keep") String after,
            @Option(longName = "profile", description = "tuning profile the causes are found against (default compute-headless, gpu-desktop with graphics)") String profile,
            @Option(longName = "save", description = "write the result to this file (default: the state directory's loss/)") String save,
            @Option(longName = "connect", description = "libvirt URI of this machine (default qemu:///system)") String connect,
            @Option(longName = "json", description = "print as JSON") boolean json,
            @Option(longName = "dry-run", description = "say what would run and what would be started, do nothing") boolean dryRun) {
        String name = workload == null ? "cpu" : workload.strip().toLowerCase(Locale.ROOT);
        Workload w;
        if (name.equals("command")) {
            if (command == null || command.isBlank()) {
                throw new IllegalArgumentException("--workload command needs --command 'PROGRAM ARGS...'");
            }
            w = Workload.command(ScriptWords.split(command));
        } else {
            if (command != null) {
                throw new IllegalArgumentException("--command runs with --workload command (the built-in '" + name + "' takes none)");
            }
            w = Workload.builtin(name, size == null ? Workload.defaultMebibytes(name) : size, dir == null ? "/var/tmp" : dir);
        }
        MeasureLoss.Request r = new MeasureLoss.Request(domain, w, repeat == null ? 5 : repeat, warmup == null ? 1 : warmup,
                Duration.ofSeconds(bootTimeout == null ? 300 : bootTimeout), Duration.ofSeconds(runTimeout == null ? 600 : runTimeout),
                MeasureLoss.After.of(after), profile);
        if (!dryRun) {
            // a --save file that may not be written is said before a guest is started and measured for minutes, not after
            CommandOutputFile.check(save, LossResults.SAVED);
        }
        String uri = localUri(connect);
        HostSelection.Selected local = hosts.select("local", null, null);
        try (LibvirtConnection c = LibvirtConnection.open(uri, false)) {
            MeasureLoss m = new MeasureLoss(c, local.snapshot(), HostTarget.local().commands(),
                    RuleCatalogue.withDirectory(StateDirs.config().resolve("rules")),
                    connect == null || connect.isBlank() ? List.of() : List.of("--connect", connect), line -> System.err.println("vfiokit: " + line));
            if (dryRun) {
                List<String> plan = m.plan(r);
                if (json) {
                    Map<String, Object> o = new LinkedHashMap<>();
                    o.put("dryRun", true);
                    o.put("domain", domain);
                    o.put("plan", plan);
                    return CommandOutput.ok(Json.write(o));
                }
                return CommandOutput.ok(String.join("\n", plan) + "\n(dry run: nothing started, nothing run)\n");
            }
            LossMeasurement result = m.measure(r);
            Path saved = LossResults.save(result, save);
            if (json) {
                Map<String, Object> o = LossResults.toMap(result);
                o.put("saved", saved.toString());
                return CommandOutput.ok(Json.write(o));
            }
            return CommandOutput.ok(render(result) + "saved " + saved + " (compare a later run: vfiokit loss compare --before "
                    + ScriptWords.quote(saved.toString()) + " --after LATER.json)\n");
        } catch (WorkloadFailed e) {
            throw new CommandFailure(ExitStatus.DATA, e.getMessage());
        }
    }

    @Command(name = "loss compare", group = "Loss", description = "Two saved results of one domain and workload side by "
            + "side (before and after vfiokit tune, say): the loss, the guest's and the host's times, the causes resolved and "
            + "left. Example: vfiokit loss compare trainer-01-cpu-20261203-101500.json trainer-01-cpu-20261203-111200.json")
    public CommandOutput compare(@Option(longName = "before", required = true, description = "the earlier result (a file, or a name loss list shows)") String before,
                                 @Option(longName = "after", required = true, description = "the later result") String after,
                                 @Option(longName = "json", description = "print as JSON") boolean json) {
        Path b = LossResults.locate(before);
        Path a = LossResults.locate(after);
        LossComparison c;
        try {
            c = LossComparison.of(LossResults.read(b), LossResults.read(a));
        } catch (IllegalArgumentException e) {
            throw new CommandFailure(ExitStatus.DATA, e.getMessage());
        }
        if (json) {
            return CommandOutput.ok(Json.write(LossResults.toMap(c, b, a)));
        }
        TextTable t = new TextTable("", "MEASURED", "HOST", "GUEST", "LOSS", "SPREAD", "VERDICT");
        t.row("before", c.before().measuredAt(), seconds(c.before().host().median()), seconds(c.before().guest().median()),
                pct(c.before().lossPercent()), pct(c.before().noisePercent()), c.before().verdict());
        t.row("after", c.after().measuredAt(), seconds(c.after().host().median()), seconds(c.after().guest().median()),
                pct(c.after().lossPercent()), pct(c.after().noisePercent()), c.after().verdict());
        StringBuilder sb = new StringBuilder("loss of " + c.after().domain() + ", " + c.after().workload().description() + "\n");
        sb.append(t.render());
        sb.append(String.format(Locale.ROOT, "loss moved %+.2f points; the guest took %+.1f%%, the host %+.1f%%%s%n", c.lossChange(),
                c.guestChangePercent(), c.hostChangePercent(),
                Math.abs(c.hostChangePercent()) > Math.max(c.before().noisePercent(), c.after().noisePercent())
                        ? " (the host moved beyond its spread: the machine changed between the runs)" : ""));
        causes(sb, "resolved", c.resolved());
        causes(sb, "left", c.remaining());
        causes(sb, "new", c.added());
        return CommandOutput.ok(sb.toString());
    }

    @Command(name = "loss list", group = "Loss", description = "The results loss measure saved in the state directory. "
            + "Example: vfiokit loss list --json")
    public CommandOutput list(@Option(longName = "json", description = "print as JSON") boolean json) {
        record Saved(Path file, LossMeasurement m, String error) {
        }
        List<Saved> saved = new ArrayList<>();
        for (Path p : LossResults.saved()) {
            try {
                saved.add(new Saved(p, LossResults.read(p), null));
            } catch (CommandFailure unreadable) {
                saved.add(new Saved(p, null, unreadable.getMessage()));
            }
        }
        if (json) {
            List<Map<String, Object>> rows = new ArrayList<>();
            for (Saved s : saved) {
                Map<String, Object> o = new LinkedHashMap<>();
                o.put("name", s.file().getFileName().toString());
                if (s.m() == null) {
                    o.put("error", s.error());
                } else {
                    o.put("domain", s.m().domain());
                    o.put("workload", s.m().workload().name());
                    o.put("measuredAt", s.m().measuredAt());
                    o.put("lossPercent", LossResults.round(s.m().lossPercent()));
                    o.put("verdict", s.m().verdict());
                }
                rows.add(o);
            }
            return CommandOutput.ok(Json.write(Map.of("directory", LossResults.directory().toString(), "results", rows)));
        }
        if (saved.isEmpty()) {
            return CommandOutput.ok("no saved results in " + LossResults.directory() + " (vfiokit loss measure saves them)\n");
        }
        TextTable t = new TextTable("NAME", "DOMAIN", "WORKLOAD", "MEASURED", "LOSS", "VERDICT");
        for (Saved s : saved) {
            String file = s.file().getFileName().toString();
            if (s.m() == null) {
                t.row(file, "?", "?", "", "", s.error());
            } else {
                t.row(file, s.m().domain(), s.m().workload().name(), s.m().measuredAt(), pct(s.m().lossPercent()), s.m().verdict());
            }
        }
        return CommandOutput.ok(t.render());
    }

    /**
     * This machine's libvirt only: the host side runs here, so a guest of another host would be measured against the
     * wrong machine; the demo host's guests never run.
     */
    private String localUri(String connect) {
        String uri = connect == null || connect.isBlank() ? targets.current() : connect;
        LibvirtUri u = LibvirtUri.parse(uri);
        if (u.remote()) {
            throw new CommandFailure(ExitStatus.DATA, "loss measure runs the host side on this machine: run it on the host of "
                    + uri + " itself (e.g. ssh to it), not through a remote URI");
        }
        if (u.testDriver()) {
            throw new CommandFailure(ExitStatus.DATA, "loss measure needs guests that run: libvirt's test driver (the demo host) "
                    + "runs none; use qemu:///system on a KVM host");
        }
        return uri;
    }

    static String render(LossMeasurement m) {
        StringBuilder sb = new StringBuilder();
        sb.append("loss of ").append(m.domain()).append(" (").append(m.uri()).append(", type ").append(m.domainType())
                .append(", device kind ").append(m.kind().word()).append(")\n");
        sb.append("workload ").append(m.workload().name()).append(": ").append(m.workload().description()).append("; ")
                .append(m.host().seconds().size()).append(" runs each side after ").append(m.warmup()).append(" warm-up\n");
        boolean sized = m.workload().mebibytes() > 0;
        TextTable t = sized ? new TextTable("", "MEDIAN", "MIN", "MAX", "SPREAD", m.workload().unit())
                : new TextTable("", "MEDIAN", "MIN", "MAX", "SPREAD");
        side(t, "host", m.host(), m.workload(), sized);
        side(t, "guest", m.guest(), m.workload(), sized);
        sb.append(t.render());
        sb.append(String.format(Locale.ROOT, "loss %.2f%% (runs' spread up to %.1f%%): %s%n", m.lossPercent(), m.noisePercent(), m.verdictText()));
        if (m.causes().isEmpty()) {
            sb.append("causes: none seen against profile ").append(m.profile()).append('\n');
        } else {
            sb.append("causes (against profile ").append(m.profile()).append("; those weighing on ").append(m.workload().name()).append(" first):\n");
            TextTable c = new TextTable("WEIGHT", "CONCERN", "RULE", "FINDING", "FIX");
            m.causes().forEach(x -> c.row(x.weight(), x.concern(), x.rule() == null ? "-" : x.rule(), x.finding(), x.fix()));
            sb.append(c.render());
        }
        return sb.toString();
    }

    private static void side(TextTable t, String label, Samples s, Workload w, boolean sized) {
        if (sized) {
            t.row(label, seconds(s.median()), seconds(s.min()), seconds(s.max()), pct(s.spreadPercent()),
                    String.format(Locale.ROOT, "%.1f", w.throughput(s.median())));
        } else {
            t.row(label, seconds(s.median()), seconds(s.min()), seconds(s.max()), pct(s.spreadPercent()));
        }
    }

    private static void causes(StringBuilder sb, String label, List<LossCause> causes) {
        if (!causes.isEmpty()) {
            sb.append("causes ").append(label).append(":\n");
            causes.forEach(c -> sb.append("  ").append(c.concern()).append(": ").append(c.finding()).append('\n'));
        }
    }

    private static String seconds(double s) {
        return String.format(Locale.ROOT, "%.3f s", s);
    }

    private static String pct(double p) {
        return String.format(Locale.ROOT, "%.1f%%", p);
    }
}
