package dev.vfiokit.shell;

import dev.vfiokit.iommucheck.check.PreflightCheck;
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

    public CheckCommands(HostSelection hosts) {
        this.hosts = hosts;
    }

    @Command(name = "check", group = "Host", description = "Pre-flight check: is this host ready for passthrough? "
            + "Exit 0 all pass, 1 warnings, 2 failures. Example: vfiokit check --host demo --device 0000:61:00.0")
    public CommandOutput check(
            @CompletedWith("pciAddresses") @Option(longName = "device", description = "PCI address(es) to check, comma-separated (default: every GPU)") String device,
            @Option(longName = "all-gpus", description = "check every GPU (the default when no --device is given)") boolean allGpus,
            @Option(longName = "json", description = "print the report as JSON") boolean json,
            @Option(longName = "host", description = "local (default) or demo") String host,
            @Option(longName = "root", description = "read a sysfs/procfs tree rooted at PATH") String root,
            @Option(longName = "connect", description = "read a host through libvirt alone (node devices), e.g. qemu+ssh://gpu1/system") String connect) {
        if (device != null && allGpus) {
            throw new IllegalArgumentException("give --device or --all-gpus, not both");
        }
        HostSelection.Selected h = hosts.select(host, root, connect);
        List<PciDevice> targets = PreflightCheck.targets(h.snapshot(), Arguments.addresses(device));
        // hints are commands for the host that was checked: the same --host, --root or --connect
        Report report = new PreflightCheck().run(h.snapshot(), targets, ScriptWords.options(h.target()));
        String text = json ? Json.write(ReportRenderer.json(report)) : ReportRenderer.text(report, Ansi.forStdout());
        return new CommandOutput(text, report.exitCode());
    }


}
