package dev.vfiokit.shell;

import dev.vfiokit.iommucheck.host.HostSnapshot;
import dev.vfiokit.libvirt.LibvirtConnection;
import dev.vfiokit.tuning.Profile;
import dev.vfiokit.tuning.Rule;
import dev.vfiokit.tuning.RuleCatalogue;
import dev.vfiokit.tuning.RuleOutcome;
import dev.vfiokit.tuning.Tuner;
import dev.vfiokit.tuning.TuningResult;
import org.springframework.shell.command.annotation.Command;
import org.springframework.shell.command.annotation.Option;
import org.springframework.shell.command.annotation.OptionValues;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** {@code tune}, {@code tune rules}, {@code tune undo}: rule-based tuning of any domain XML. */
@Command
public class TuneCommands {
    private final HostSelection hosts;
    private final LibvirtTargets targets;

    public TuneCommands(HostSelection hosts, LibvirtTargets targets) {
        this.hosts = hosts;
        this.targets = targets;
    }

    private static RuleCatalogue catalogue(String dir) {
        Path user = dir != null ? Path.of(dir) : StateDirs.config().resolve("rules");
        return RuleCatalogue.withDirectory(user);
    }

    @Command(command = "tune", group = "Tuning", description = "Tune a domain XML (a file, or a libvirt domain) with a "
            + "profile's rules: prints the tuned XML, --diff, or --explain (each rule, what it changed and why); --apply "
            + "redefines the domain. Example: vfiokit tune --file peer.xml --profile compute-headless --host demo --diff")
    public CommandOutput tune(
            @Option(longNames = "file", description = "domain XML file") String file,
            @OptionValues(provider = "domainNames") @Option(longNames = "domain", description = "a libvirt domain, by name") String domain,
            @OptionValues(provider = "profileNames") @Option(longNames = "profile", required = true, description = "compute-headless, gpu-desktop, nfv, balanced, or your own") String profile,
            @Option(longNames = "explain", description = "list every rule: applied, unchanged, not applicable or cannot apply, with why") boolean explain,
            @Option(longNames = "diff", description = "print a unified diff instead of the XML") boolean diff,
            @Option(longNames = "apply", description = "redefine the domain through libvirt (keeps the old definition for tune undo)") boolean apply,
            @Option(longNames = "json", description = "print {profile, changed, rules, diff, xml} as JSON") boolean json,
            @Option(longNames = "rules", description = "a directory of extra rule files") String rules,
            @Option(longNames = "host", description = "host facts from: local (default) or demo") String host,
            @Option(longNames = "root", description = "host facts from a sysfs/procfs tree") String root,
            @Option(longNames = "connect", description = "libvirt URI (for --domain and --apply); host facts through libvirt") String connect) {
        if ((file == null) == (domain == null)) {
            throw new IllegalArgumentException("give --file FILE or --domain NAME");
        }
        if (apply && domain == null) {
            throw new IllegalArgumentException("--apply redefines a libvirt domain: use --domain NAME");
        }
        String xml;
        if (file != null) {
            xml = DomainCommands.readFile(file);
        } else {
            try (LibvirtConnection c = targets.open(host, connect, true)) {
                xml = c.dumpXml(domain, true);
            }
        }
        HostSnapshot facts = hosts.select(host, root, connect).snapshot();
        TuningResult r = new Tuner(catalogue(rules)).tune(xml, profile, facts);
        String applied = null;
        if (apply && r.changed()) {
            try (LibvirtConnection c = targets.open(host, connect, false)) {
                Path saved = UndoStore.save(domain, xml);
                c.define(r.tunedXml());
                targets.persistIfDemo(host, connect, c);
                applied = "redefined " + domain + " on " + c.uri() + "; previous definition kept in " + saved
                        + " (vfiokit tune undo --domain " + domain + ")";
            }
        }
        if (json) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("profile", profile);
            m.put("changed", r.changed());
            m.put("applied", applied != null);
            m.put("rules", r.outcomes().stream().map(TuneCommands::outcomeJson).toList());
            m.put("diff", r.diff());
            m.put("xml", r.tunedXml());
            return CommandOutput.ok(Json.write(m));
        }
        StringBuilder sb = new StringBuilder();
        if (explain) {
            sb.append(explainText(r));
        }
        if (diff) {
            sb.append(r.diff().isEmpty() ? "no changes: the domain is already tuned for " + profile + "\n" : r.diff());
        }
        if (!explain && !diff && !apply) {
            sb.append(r.tunedXml());
        }
        if (apply) {
            sb.append(applied != null ? applied : "no changes: " + domain + " is already tuned for " + profile).append('\n');
        }
        return CommandOutput.ok(sb.toString());
    }

    private static String explainText(TuningResult r) {
        StringBuilder sb = new StringBuilder();
        for (RuleOutcome o : r.outcomes()) {
            sb.append(String.format("%-14s %-22s %s%n", o.status(), o.rule().id(), o.rule().title()));
            if (o.status() == RuleOutcome.Status.APPLIED) {
                o.changes().forEach(c -> sb.append("               - ").append(c).append('\n'));
                sb.append("               why: ").append(o.rule().rationale()).append('\n');
            } else if (!o.reason().isEmpty()) {
                sb.append("               ").append(o.reason()).append('\n');
            }
        }
        long applied = r.outcomes().stream().filter(o -> o.status() == RuleOutcome.Status.APPLIED).count();
        long cannot = r.outcomes().stream().filter(o -> o.status() == RuleOutcome.Status.CANNOT_APPLY).count();
        sb.append(applied).append(" rules applied, ").append(cannot).append(" could not apply\n");
        return sb.toString();
    }

    private static Map<String, Object> outcomeJson(RuleOutcome o) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", o.rule().id());
        m.put("title", o.rule().title());
        m.put("status", o.status().name());
        m.put("changes", o.changes());
        m.put("reason", o.reason());
        m.put("rationale", o.rule().rationale());
        return m;
    }

    @Command(command = "tune rules", group = "Tuning", description = "List tuning rules and profiles (built in, and *.xml "
            + "in ~/.config/vfiokit/rules or --rules DIR). Example: vfiokit tune rules --json")
    public CommandOutput rules(@Option(longNames = "json", description = "print as JSON") boolean json,
                               @Option(longNames = "rules", description = "a directory of extra rule files") String dir) {
        RuleCatalogue cat = catalogue(dir);
        if (json) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("rules", cat.rules().stream().map(r -> {
                Map<String, Object> rm = new LinkedHashMap<>();
                rm.put("id", r.id());
                rm.put("title", r.title());
                rm.put("when", r.when().describe());
                rm.put("rationale", r.rationale());
                rm.put("origin", r.origin());
                return rm;
            }).toList());
            m.put("profiles", cat.profiles().stream().map(p -> {
                Map<String, Object> pm = new LinkedHashMap<>();
                pm.put("name", p.name());
                pm.put("description", p.description());
                pm.put("traits", p.traits().stream().sorted().toList());
                pm.put("rules", p.ruleIds());
                return pm;
            }).toList());
            return CommandOutput.ok(Json.write(m));
        }
        TextTable t = new TextTable("RULE", "WHEN", "TITLE");
        for (Rule r : cat.rules()) {
            t.row(r.id(), r.when().describe(), r.title());
        }
        TextTable p = new TextTable("PROFILE", "TRAITS", "RULES");
        for (Profile x : cat.profiles()) {
            p.row(x.name(), String.join(" ", x.traits().stream().sorted().toList()), String.join(" ", x.ruleIds()));
        }
        return CommandOutput.ok(t.render() + "\n" + p.render());
    }

    @Command(command = "tune undo", group = "Tuning", description = "Put back the definition a domain had before its last "
            + "tune --apply. Example: vfiokit tune undo --domain trainer-01 --host demo")
    public CommandOutput undo(@Option(longNames = "domain", required = true, description = "domain name") String domain,
                              @Option(longNames = "host", description = "demo for the demo host's libvirt") String host,
                              @Option(longNames = "connect", description = "libvirt URI") String connect) {
        Path saved = UndoStore.latest(domain).orElseThrow(() -> new CommandFailure(ExitStatus.DATA,
                "no earlier definition of " + domain + " kept (tune --apply keeps one)"));
        try (LibvirtConnection c = targets.open(host, connect, false)) {
            c.define(DomainCommands.readFile(saved.toString()));
            targets.persistIfDemo(host, connect, c);
        }
        try {
            Files.delete(saved);
        } catch (IOException e) {
            throw new CommandFailure(ExitStatus.IO, "restored, but cannot remove " + saved + ": " + e.getMessage());
        }
        return CommandOutput.ok("restored the definition of " + domain + " from " + saved.getFileName());
    }

    /** Previous definitions, newest last, under the user's state directory. */
    static final class UndoStore {
        private UndoStore() {
        }

        static Path dir() {
            return StateDirs.state().resolve("tune-undo");
        }

        static Path save(String domain, String xml) {
            try {
                Files.createDirectories(dir());
                Path p = dir().resolve(safe(domain) + "." + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMddHHmmssSSS")) + ".xml");
                Files.writeString(p, xml);
                return p;
            } catch (IOException e) {
                throw new CommandFailure(ExitStatus.IO, "cannot keep the previous definition under " + dir() + ": " + e.getMessage()
                        + " (nothing was changed)");
            }
        }

        static java.util.Optional<Path> latest(String domain) {
            if (!Files.isDirectory(dir())) {
                return java.util.Optional.empty();
            }
            try (Stream<Path> s = Files.list(dir())) {
                String prefix = safe(domain) + ".";
                return s.filter(p -> p.getFileName().toString().startsWith(prefix) && p.getFileName().toString()
                        .substring(prefix.length()).matches("\\d{17}\\.xml")).max(Comparator.comparing(Path::toString));
            } catch (IOException e) {
                return java.util.Optional.empty();
            }
        }

        private static String safe(String name) {
            return name.replaceAll("[^A-Za-z0-9._-]", "_");
        }
    }

}
