package dev.vfiokit.shell;

import dev.vfiokit.libvirt.DomainSummary;
import dev.vfiokit.libvirt.LibvirtConnection;
import org.springframework.shell.core.command.annotation.Command;
import org.springframework.shell.core.command.annotation.Option;
import org.springframework.stereotype.Component;
import dev.vfiokit.shell.cli.CompletedWith;

import dev.vfiokit.iommucheck.input.InputFile;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code connect} and {@code domain list|define|start|stop|undefine|dumpxml}: domains through libvirt. */
@Component
public class DomainCommands {
    private final LibvirtTargets targets;

    public DomainCommands(LibvirtTargets targets) {
        this.targets = targets;
    }

    @Command(name = "connect", group = "libvirt", description = "Check a libvirt URI and, at the prompt, make it the "
            + "connection later commands use. Example: connect qemu+ssh://gpu1/system")
    public CommandOutput connect(@CompletedWith("libvirtUris") @Option(longName = "uri", description = "libvirt URI: qemu:///system, qemu+ssh://HOST/system, test:///default",
            required = true) String uri) {
        try (LibvirtConnection c = LibvirtConnection.open(uri, true)) {
            int n = c.domains().size();
            targets.setCurrent(uri);
            return CommandOutput.ok("connected to " + uri + ": " + n + " domains, best domain type " + c.bestDomainType());
        }
    }

    @Command(name = "domain list", group = "libvirt", description = "List defined and running domains. "
            + "Example: vfiokit domain list --host demo --json")
    public CommandOutput list(@Option(longName = "json", description = "print as JSON") boolean json,
                              @Option(longName = "host", description = "demo for the demo host's libvirt") String host,
                              @Option(longName = "connect", description = "libvirt URI (default: the current connection, else qemu:///system)") String connect) {
        try (LibvirtConnection c = targets.open(host, connect, true)) {
            List<DomainSummary> domains = c.domains();
            if (json) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("uri", c.uri());
                m.put("domains", domains.stream().map(d -> {
                    Map<String, Object> dm = new LinkedHashMap<>();
                    dm.put("name", d.name());
                    dm.put("uuid", d.uuid());
                    dm.put("state", d.state().word());
                    dm.put("persistent", d.persistent());
                    return dm;
                }).toList());
                return CommandOutput.ok(Json.write(m));
            }
            TextTable t = new TextTable("NAME", "STATE", "UUID");
            domains.forEach(d -> t.row(d.name(), d.state().word(), d.uuid()));
            return CommandOutput.ok(t.render() + domains.size() + " domains on " + c.uri() + "\n");
        }
    }

    @Command(name = "domain define", group = "libvirt", description = "Define (or redefine) a domain from an XML file; "
            + "libvirt validates it against its schema first. Example: vfiokit domain define trainer.xml --host demo")
    public CommandOutput define(@Option(longName = "file", required = true, description = "domain XML file") String file,
                                @Option(longName = "host", description = "demo for the demo host's libvirt") String host,
                                @Option(longName = "connect", description = "libvirt URI") String connect) {
        String xml = readFile(file, "domain XML");
        try (LibvirtConnection c = targets.open(host, connect, false)) {
            DomainSummary d = c.define(xml);
            targets.persistIfDemo(host, connect, c);
            return CommandOutput.ok("defined " + d.name() + " (" + d.uuid() + ") on " + c.uri());
        }
    }

    @Command(name = "domain start", group = "libvirt", description = "Start a defined domain. Example: vfiokit domain start trainer-01 --host demo")
    public CommandOutput start(@CompletedWith("domainNames") @Option(longName = "name", required = true, description = "domain name") String name,
                               @Option(longName = "host", description = "demo for the demo host's libvirt") String host,
                               @Option(longName = "connect", description = "libvirt URI") String connect) {
        try (LibvirtConnection c = targets.open(host, connect, false)) {
            c.start(name);
            targets.persistIfDemo(host, connect, c);
            return CommandOutput.ok("started " + name);
        }
    }

    @Command(name = "domain stop", group = "libvirt", description = "Shut a domain down (ACPI), or with --force pull "
            + "the plug. Example: vfiokit domain stop trainer-01 --force --host demo")
    public CommandOutput stop(@CompletedWith("domainNames") @Option(longName = "name", required = true, description = "domain name") String name,
                              @Option(longName = "force", description = "destroy instead of asking the guest") boolean force,
                              @Option(longName = "host", description = "demo for the demo host's libvirt") String host,
                              @Option(longName = "connect", description = "libvirt URI") String connect) {
        try (LibvirtConnection c = targets.open(host, connect, false)) {
            c.stop(name, force);
            targets.persistIfDemo(host, connect, c);
            return CommandOutput.ok((force ? "destroyed " : "asked to shut down: ") + name);
        }
    }

    @Command(name = "domain undefine", group = "libvirt", description = "Remove a shut-off domain's definition (and its "
            + "UEFI variables). Example: vfiokit domain undefine trainer-01 --host demo")
    public CommandOutput undefine(@CompletedWith("domainNames") @Option(longName = "name", required = true, description = "domain name") String name,
                                  @Option(longName = "host", description = "demo for the demo host's libvirt") String host,
                                  @Option(longName = "connect", description = "libvirt URI") String connect) {
        try (LibvirtConnection c = targets.open(host, connect, false)) {
            c.undefine(name);
            targets.persistIfDemo(host, connect, c);
            return CommandOutput.ok("undefined " + name);
        }
    }

    @Command(name = "domain dumpxml", group = "libvirt", description = "Print a domain's XML (--inactive: the definition, "
            + "not the running state). Example: vfiokit domain dumpxml trainer-01 --host demo")
    public CommandOutput dumpxml(@CompletedWith("domainNames") @Option(longName = "name", required = true, description = "domain name") String name,
                                 @Option(longName = "inactive", description = "the persistent definition") boolean inactive,
                                 @Option(longName = "host", description = "demo for the demo host's libvirt") String host,
                                 @Option(longName = "connect", description = "libvirt URI") String connect) {
        try (LibvirtConnection c = targets.open(host, connect, true)) {
            return CommandOutput.ok(c.dumpXml(name, inactive));
        }
    }

    /** A file the user named: a regular file of at most 16 MiB, else a one-line usage error (64). */
    static String readFile(String file, String what) {
        return InputFile.readStrictUtf8(Path.of(file), what);
    }
}
