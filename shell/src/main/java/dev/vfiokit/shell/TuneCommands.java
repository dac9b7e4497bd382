package dev.vfiokit.shell;

import dev.vfiokit.iommucheck.host.HostSnapshot;
import dev.vfiokit.libvirt.LibvirtConnection;
import dev.vfiokit.iommucheck.fixture.DemoHost;
import dev.vfiokit.vfio.HostTarget;
import dev.vfiokit.tuning.Profile;
import dev.vfiokit.tuning.Rule;
import dev.vfiokit.tuning.RuleCatalogue;
import dev.vfiokit.tuning.RuleOutcome;
import dev.vfiokit.tuning.Tuner;
import dev.vfiokit.tuning.TuningResult;
import org.springframework.shell.core.command.annotation.Command;
import org.springframework.shell.core.command.annotation.Option;
import org.springframework.stereotype.Component;
import dev.vfiokit.shell.cli.CompletedWith;
import dev.vfiokit.shell.usecase.DefinitionHistory;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code tune}, {@code tune rules}, {@code tune undo}: rule-based tuning of any domain XML. */
@Component
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

    @Command(name = "tune", group = "Tuning", description = "Tune a domain XML (a file, or a libvirt domain) with a "
            + "profile's rules: prints the tuned XML, --diff, or --explain (each rule, what it changed and why); --apply "
            + "redefines the domain. Example: vfiokit tune --file peer.xml --profile compute-headless --host demo --diff")
    public CommandOutput tune(
            @Option(longName = "file", description = "domain XML file") String file,
            @CompletedWith("domainNames") @Option(longName = "domain", description = "a libvirt domain, by name") String domain,
            @CompletedWith("profileNames") @Option(longName = "profile", required = true, description = "compute-headless, gpu-desktop, nfv, balanced, or your own") String profile,
            @Option(longName = "explain", description = "list every rule: applied, unchanged, not applicable or cannot apply, with why") boolean explain,
            @Option(longName = "diff", description = "print a unified diff instead of the XML") boolean diff,
            @Option(longName = "hide-kvm", description = "hide KVM from an NVIDIA GPU's driver (old drivers' Code 43); off unless asked") boolean hideKvm,
            @Option(longName = "apply", description = "redefine the domain through libvirt (keeps the old definition for tune undo)") boolean apply,
            @Option(longName = "json", description = "print {profile, changed, rules, diff, xml} as JSON") boolean json,
            @Option(longName = "rules", description = "a directory of extra rule files") String rules,
            @Option(longName = "host", description = "host facts from: local (default) or demo") String host,
            @Option(longName = "root", description = "host facts from a sysfs/procfs tree") String root,
            @Option(longName = "connect", description = "libvirt URI (for --domain and --apply); host facts through libvirt") String connect) {
        if ((file == null) == (domain == null)) {
            throw new IllegalArgumentException("give --file FILE or --domain NAME");
        }
        if (apply && domain == null) {
            throw new IllegalArgumentException("--apply redefines a libvirt domain: use --domain NAME");
        }
        String xml;
        // the CPUs other domains are pinned to, where libvirt is asked anyway (--domain, --connect): never shared
        dev.vfiokit.tuning.NumaLedger others = dev.vfiokit.tuning.NumaLedger.NONE;
        if (file != null) {
            xml = DomainCommands.readFile(file, "domain XML");
            if (connect != null) {
                try (LibvirtConnection c = targets.open(host, connect, true)) {
                    others = dev.vfiokit.tuning.NumaLedger.of(dev.vfiokit.libvirt.AssignedDevices.definitions(c));
                }
            }
        } else {
            try (LibvirtConnection c = targets.open(host, connect, true)) {
                xml = c.dumpXml(domain, true);
                others = dev.vfiokit.tuning.NumaLedger.of(dev.vfiokit.libvirt.AssignedDevices.definitions(c));
            }
        }
        HostSnapshot facts = hosts.select(host, root, connect).snapshot();
        RuleCatalogue cat = catalogue(rules);
        dev.vfiokit.tuning.Profile chosen = cat.profile(profile);
        TuningResult r = new Tuner(cat).tuneFile(xml, file, hideKvm ? chosen.withTrait("hide-kvm") : chosen, facts, others);
        if (apply && r.passesHostDevices()) {
            throw new CommandFailure(ExitStatus.DATA, "refused, nothing changed: " + String.join("; ", r.hostDevicesPassed()));
        }
        // a domain that takes a device the host runs on is a FAIL (exit 2), whatever the rules did
        int code = r.passesHostDevices() ? ExitStatus.FAIL : ExitStatus.OK;
        String applied = null;
        if (apply && r.changed()) {
            try (LibvirtConnection c = targets.open(host, connect, false)) {
                Path saved = new DefinitionHistory(StateDirs.state()).keep(hostKey(host, connect), domain, xml, c.hostUuid());
                c.define(r.tunedXml());
                targets.persistIfDemo(host, connect, c);
                applied = "redefined " + domain + " on " + c.uri() + "; previous definition kept in " + saved
                        + " (" + ScriptWords.command("vfiokit", "tune", "undo", "--domain", domain)
                        + ScriptWords.options(HostTarget.parse(host, null, connect, DemoHost::root)) + ")"
                        + (c.defineCaveat() == null ? "" : "; " + c.defineCaveat());
            }
        }
        if (json) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("profile", profile);
            m.put("changed", r.changed());
            m.put("applied", applied != null);
            m.put("rules", r.outcomes().stream().map(TuneCommands::outcomeJson).toList());
            m.put("hostDevicesPassed", r.hostDevicesPassed());
            m.put("diff", r.diff());
            m.put("xml", r.tunedXml());
            return new CommandOutput(Json.write(m), code);
        }
        StringBuilder sb = new StringBuilder();
        for (String f : r.hostDevicesPassed()) {
            // an XML comment: the printed document stays one valid document, as domain generate's notes do
            sb.append("<!-- FAIL: ").append(f.replace("--", "- -")).append(" -->\n");
        }
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
        return new CommandOutput(sb.toString(), code);
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

    @Command(name = "tune rules", group = "Tuning", description = "List tuning rules and profiles (built in, and *.xml "
            + "in ~/.config/vfiokit/rules or --rules DIR). Example: vfiokit tune rules --json")
    public CommandOutput rules(@Option(longName = "json", description = "print as JSON") boolean json,
                               @Option(longName = "rules", description = "a directory of extra rule files") String dir) {
        RuleCatalogue cat = catalogue(dir);
        if (json) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("rules", cat.rules().stream().map(r -> {
                Map<String, Object> rm = new LinkedHashMap<>();
                rm.put("id", r.id());
                rm.put("title", r.title());
                rm.put("arch", r.archesText());
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
        TextTable t = new TextTable("RULE", "ARCH", "WHEN", "TITLE");
        for (Rule r : cat.rules()) {
            t.row(r.id(), r.archesText(), r.when().describe(), r.title());
        }
        TextTable p = new TextTable("PROFILE", "TRAITS", "RULES");
        for (Profile x : cat.profiles()) {
            p.row(x.name(), String.join(" ", x.traits().stream().sorted().toList()), String.join(" ", x.ruleIds()));
        }
        return CommandOutput.ok(t.render() + "\n" + p.render());
    }

    @Command(name = "tune undo", group = "Tuning", description = "Put back the definition a domain had before its last "
            + "tune --apply. Example: vfiokit tune undo --domain trainer-01 --host demo")
    public CommandOutput undo(@Option(longName = "domain", required = true, description = "domain name") String domain,
                              @Option(longName = "host", description = "demo for the demo host's libvirt") String host,
                              @Option(longName = "connect", description = "libvirt URI") String connect) {
        DefinitionHistory history = new DefinitionHistory(StateDirs.state());
        Path saved;
        try (LibvirtConnection c = targets.open(host, connect, false)) {
            saved = history.restore(c, hostKey(host, connect), domain);
            targets.persistIfDemo(host, connect, c);
        }
        history.forget(saved);
        return CommandOutput.ok("restored the definition of " + domain + " from " + saved.getFileName());
    }

    /** The host an undo belongs to: "demo" for the demo host (its file moves with every build), else the libvirt URI. */
    private String hostKey(String host, String connect) {
        return targets.isDemo(host) && (connect == null || connect.isBlank()) ? "demo" : targets.uri(host, connect);
    }
}
