package dev.vfiokit.shell;

import dev.vfiokit.iommucheck.check.DomainReadiness;
import dev.vfiokit.iommucheck.check.Finding;
import dev.vfiokit.iommucheck.check.PreflightCheck;
import dev.vfiokit.iommucheck.input.SecureXml;
import dev.vfiokit.iommucheck.input.DomainXmlFacts;
import dev.vfiokit.libvirt.LibvirtConnection;
import org.w3c.dom.Element;
import dev.vfiokit.iommucheck.check.Report;
import dev.vfiokit.iommucheck.host.PciDevice;
import org.springframework.shell.core.command.annotation.Command;
import org.springframework.shell.core.command.annotation.Option;
import org.springframework.stereotype.Component;
import dev.vfiokit.shell.cli.CompletedWith;

import java.util.List;

/** {@code check}: the pre-flight host check. */
@Component
public class CheckCommands {
    private final HostSelection hosts;
    private final LibvirtTargets libvirt;

    public CheckCommands(HostSelection hosts, LibvirtTargets libvirt) {
        this.hosts = hosts;
        this.libvirt = libvirt;
    }

    @Command(name = "check", group = "Host", description = "Pre-flight check: is this host ready for passthrough? "
            + "Exit 0 all pass, 1 warnings, 2 failures. Example: vfiokit check --host demo --device 0000:61:00.0")
    public CommandOutput check(
            @CompletedWith("pciAddresses") @Option(longName = "device", description = "PCI address(es) to check, comma-separated (default: every GPU)") String device,
            @Option(longName = "all-gpus", description = "check every GPU (the default when no --device is given)") boolean allGpus,
            @Option(longName = "json", description = "print the report as JSON") boolean json,
            @Option(longName = "host", description = "local (default) or demo") String host,
            @Option(longName = "root", description = "read a sysfs/procfs tree rooted at PATH") String root,
            @Option(longName = "connect", description = "read a host through libvirt alone (node devices), e.g. qemu+ssh://gpu1/system; several (repeated or comma-separated) are read in parallel") String[] connects,
            @Option(longName = "timeout", description = "seconds to wait for a --connect host to answer (default 30)") String timeout,
            @CompletedWith("domainNames") @Option(longName = "domain", description = "check a defined domain instead: its locked memory and what would block its live migration") String domain,
            @Option(longName = "xml", description = "check the domain in this XML file (as --domain)") String xml) {
        if (device != null && allGpus) {
            throw new IllegalArgumentException("give --device or --all-gpus, not both");
        }
        List<String> uris = ManyHosts.uris(connects);
        if (domain != null || xml != null) {
            dev.vfiokit.shell.usecase.PerHost.timeout(timeout);   // a malformed --timeout is a usage error here too
            if (uris.size() > 1) {
                throw new IllegalArgumentException("several --connect hosts take neither --domain nor --xml");
            }
            if (device != null || allGpus) {
                throw new IllegalArgumentException("--domain and --xml check a domain: give them without --device or --all-gpus");
            }
            return checkDomain(domain, xml, json, host, root, ManyHosts.single(uris));
        }
        return ManyHosts.each(hosts, host, root, connects, timeout, json, h -> {
            // hints are commands for the host that was checked: the same --host, --root or --connect
            Report report = new PreflightCheck().run(h.snapshot(), PreflightCheck.targets(h.snapshot(), Arguments.addresses(device)),
                    ScriptWords.options(h.target()));
            return new ManyHosts.HostReport(ReportRenderer.json(report), () -> ReportRenderer.text(report, Ansi.forStdout()), report.exitCode());
        });
    }

    /** The domain's locked memory and migration readiness on the host it is (or would be) defined on. */
    private CommandOutput checkDomain(String domain, String xmlFile, boolean json, String host, String root, String connect) {
        if (domain != null && xmlFile != null) {
            throw new IllegalArgumentException("give --domain or --xml, not both");
        }
        HostSelection.Selected h = hosts.select(host, root, connect);
        String xml;
        DomainReadiness.Versions versions = DomainReadiness.Versions.UNKNOWN;
        if (domain != null) {
            try (LibvirtConnection c = libvirt.open(host, connect, true)) {
                xml = c.dumpXml(domain, false);
                versions = new DomainReadiness.Versions(c.libvirtVersion(), c.uri().startsWith("test:") ? null : c.hypervisorVersion());
            }
        } else {
            xml = DomainCommands.readFile(xmlFile, "domain XML");
        }
        Element root0 = SecureXml.parse(xml, domain != null ? "domain " + domain : xmlFile).getDocumentElement();
        String name = DomainXmlFacts.name(root0);
        List<Finding> findings = new DomainReadiness().check(h.snapshot(), root0, name, versions);
        Report report = new Report(h.snapshot().source(), List.of(name), findings);
        String text = json ? Json.write(ReportRenderer.json(report)) : ReportRenderer.text(report, Ansi.forStdout());
        return new CommandOutput(text, report.exitCode());
    }


}
