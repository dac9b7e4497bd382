package dev.vfiokit.shell;

import dev.vfiokit.iommucheck.host.HostRoot;
import dev.vfiokit.shell.provision.Manifest;
import dev.vfiokit.shell.provision.ManifestReader;
import dev.vfiokit.shell.provision.ProvisionPlanner;
import dev.vfiokit.shell.provision.VmPlan;
import dev.vfiokit.shell.provision.VmResult;
import dev.vfiokit.shell.usecase.HostChanges;
import dev.vfiokit.shell.usecase.PerHost;
import dev.vfiokit.shell.usecase.Provision;
import dev.vfiokit.templates.TemplateCatalogue;
import dev.vfiokit.tuning.RuleCatalogue;
import org.springframework.shell.core.command.annotation.Command;
import org.springframework.shell.core.command.annotation.Option;
import org.springframework.stereotype.Component;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** provision example|plan|apply|destroy: many VMs on one or many hosts from a manifest. */
@Component
public class ProvisionCommands {
    private final LibvirtTargets targets;

    public ProvisionCommands(LibvirtTargets targets) {
        this.targets = targets;
    }

    @Command(name = "provision example", group = "Provisioning", description = "Print a complete, commented manifest for "
            + "the demo host that plans and applies as printed. Example: vfiokit provision example > demo.yaml")
    public CommandOutput example() {
        try (InputStream in = ProvisionCommands.class.getResourceAsStream("/dev/vfiokit/shell/example-manifest.yaml")) {
            return CommandOutput.ok(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException | NullPointerException e) {
            throw new IllegalStateException("the example manifest is missing from the jar", e);
        }
    }

    private Manifest read(String file) {
        return new ManifestReader(file).read(DomainCommands.readFile(file, "manifest"));
    }

    private Provision provision(String file, String timeout) {
        return new Provision(targets, new ProvisionPlanner(TemplateCatalogue.withUserDirectory(StateDirs.config().resolve("templates")),
                RuleCatalogue.withDirectory(StateDirs.config().resolve("rules")), file, StateDirs.cache().resolve("provision")), HostChanges.stateDir(HostRoot.local()),
                PerHost.timeout(timeout));
    }

    @Command(name = "provision plan", group = "Provisioning", description = "Place every VM of a manifest and print what "
            + "apply would do, changing nothing. Example: vfiokit provision plan --file demo.yaml")
    public CommandOutput plan(@Option(longName = "file", required = true, description = "manifest (YAML)") String file,
                              @Option(longName = "timeout", description = "seconds to wait for each host's libvirt to be reached and read (default 30)") String timeout,
                              @Option(longName = "json", description = "print as JSON") boolean json) {
        Provision.Planned planned = provision(file, timeout).plan(read(file));
        List<VmPlan> plans = planned.plans();
        List<String> notes = planned.notes();
        // a plan that could not reach a host is incomplete: say so in the exit status too
        int code = planned.notReached().isEmpty() ? ExitStatus.OK : ExitStatus.UNAVAILABLE;
        if (json) {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("vms", plans.stream().map(p -> {
                Map<String, Object> pm = new LinkedHashMap<>();
                pm.put("name", p.spec().name());
                pm.put("host", p.spec().host());
                pm.put("status", p.status().name());
                pm.put("actions", p.actions());
                pm.put("stamp", p.stamp());
                pm.put("xml", p.xml());
                return pm;
            }).toList());
            out.put("notes", notes);
            out.put("notReached", planned.notReached());
            out.put("exitCode", code);
            return new CommandOutput(Json.write(out), code);
        }
        StringBuilder sb = new StringBuilder();
        notes.forEach(n -> sb.append("note: ").append(n).append('\n'));
        for (VmPlan p : plans) {
            sb.append(p.status()).append(' ').append(p.spec().name()).append(" on ").append(p.spec().host()).append('\n');
            p.actions().forEach(a -> sb.append("    ").append(a).append('\n'));
        }
        long changes = plans.stream().filter(p -> p.status() == VmPlan.Status.CREATE || p.status() == VmPlan.Status.UPDATE).count();
        sb.append(plans.size()).append(" VMs, ").append(changes).append(" to create or update");
        if (!planned.notReached().isEmpty()) {
            sb.append("; hosts not reached: ").append(String.join(", ", planned.notReached().keySet()));
        }
        return new CommandOutput(sb.append('\n').toString(), code);
    }

    @Command(name = "provision apply", group = "Provisioning", description = "Carry a manifest out: hosts in parallel, each "
            + "VM all or nothing; a second apply changes nothing. Exit 0 when every VM succeeded. Example: vfiokit provision apply --file demo.yaml")
    public CommandOutput apply(@Option(longName = "file", required = true, description = "manifest (YAML)") String file,
                              @Option(longName = "timeout", description = "seconds to wait for each host's libvirt to be reached and read (default 30)") String timeout,
                               @Option(longName = "json", description = "print the summary as JSON") boolean json) {
        List<VmResult> results = provision(file, timeout).apply(read(file), progress(json));
        endProgressLine(json);
        return summary(results, json, false);
    }

    @Command(name = "provision destroy", group = "Provisioning", description = "Stop and undefine the manifest's VMs that "
            + "vfiokit provisioned (others are left alone). Example: vfiokit provision destroy --file demo.yaml --dry-run")
    public CommandOutput destroy(@Option(longName = "file", required = true, description = "manifest (YAML)") String file,
                                 @Option(longName = "dry-run", description = "say what would be removed, change nothing") boolean dryRun,
                              @Option(longName = "timeout", description = "seconds to wait for each host's libvirt to be reached and read (default 30)") String timeout,
                                 @Option(longName = "json", description = "print the summary as JSON") boolean json) {
        List<VmResult> results = provision(file, timeout).destroy(read(file), progress(json), dryRun);
        endProgressLine(json);
        return summary(results, json, dryRun);
    }

    private static boolean onTerminal() {
        return System.console() != null && System.getenv("TERM") != null && !"dumb".equals(System.getenv("TERM"));
    }

    private static void endProgressLine(boolean json) {
        if (!json && onTerminal()) {
            System.err.println();
        }
    }

    /**
     * Progress on stderr, so stdout stays the summary (or one JSON document): on a terminal one line that updates in
     * place, otherwise a plain line a VM; none with --json.
     */
    private static java.util.function.Consumer<String> progress(boolean json) {
        boolean tty = onTerminal();
        java.util.concurrent.atomic.AtomicInteger done = new java.util.concurrent.atomic.AtomicInteger();
        return line -> {
            if (json) {
                return;
            }
            if (tty) {
                System.err.print("\r\u001b[K[" + done.incrementAndGet() + "] " + line);
            } else {
                System.err.println(line);
            }
        };
    }

    private static CommandOutput summary(List<VmResult> results, boolean json, boolean dryRun) {
        long failed = results.stream().filter(r -> r.outcome() == VmResult.Outcome.FAILED).count();
        int code = failed == 0 ? ExitStatus.OK : ExitStatus.IO;
        if (json) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("vms", results.stream().map(r -> {
                Map<String, Object> vm = new LinkedHashMap<>();
                vm.put("name", r.name());
                vm.put("host", r.host());
                vm.put("outcome", r.outcome().word());
                vm.put("message", r.message());
                return vm;
            }).toList());
            Map<String, Long> counts = new LinkedHashMap<>();
            for (VmResult.Outcome o : VmResult.Outcome.values()) {
                counts.put(o.word(), results.stream().filter(r -> r.outcome() == o).count());
            }
            m.put("summary", counts);
            m.put("dryRun", dryRun);
            m.put("exitCode", code);
            return new CommandOutput(Json.write(m), code);
        }
        TextTable t = new TextTable("VM", "HOST", "OUTCOME", "MESSAGE");
        results.forEach(r -> t.row(r.name(), r.host(), r.outcome().word(), r.message()));
        StringBuilder sb = new StringBuilder(dryRun ? "plan (dry run, nothing changed):\n" : "").append(t.render());
        for (VmResult.Outcome o : VmResult.Outcome.values()) {
            sb.append(o.word()).append(' ').append(results.stream().filter(r -> r.outcome() == o).count()).append(o == VmResult.Outcome.FAILED ? "\n" : ", ");
        }
        return new CommandOutput(sb.toString(), code);
    }
}
