package dev.vfiokit.shell;

import dev.vfiokit.iommucheck.fixture.DemoHost;
import dev.vfiokit.iommucheck.host.HostRoot;
import dev.vfiokit.iommucheck.host.HostSnapshot;
import dev.vfiokit.iommucheck.host.HostSnapshotReader;
import dev.vfiokit.iommucheck.host.PciDevice;
import dev.vfiokit.iommucheck.host.PciIdNames;
import dev.vfiokit.libvirt.DomainSummary;
import dev.vfiokit.libvirt.LibvirtConnection;
import dev.vfiokit.libvirt.LibvirtFailure;
import dev.vfiokit.templates.Template;
import dev.vfiokit.templates.TemplateCatalogue;
import dev.vfiokit.tuning.Profile;
import dev.vfiokit.tuning.RuleCatalogue;
import org.jline.utils.AttributedString;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.shell.core.command.completion.CompletionContext;
import org.springframework.shell.core.command.completion.CompletionProposal;
import org.springframework.shell.core.command.completion.CompletionProvider;
import org.springframework.shell.jline.PromptProvider;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Tab completion at the prompt: PCI addresses (with class, name and driver as the hint), PF netdevs, domain
 * names, templates, profiles, libvirt URIs from history; and the prompt, which shows the current connection.
 */
@Configuration
public class Completions {
    private final LibvirtTargets targets;

    public Completions(LibvirtTargets targets) {
        this.targets = targets;
    }

    @Bean
    public PromptProvider vfiokitPrompt() {
        return () -> new AttributedString("vfiokit[" + targets.current() + "]> ");
    }

    /** The host the words being typed name (--host demo, --root PATH), else this machine. */
    private static HostSnapshot host(CompletionContext ctx) {
        List<String> w = ctx.getWords();
        for (int i = 0; i + 1 < w.size(); i++) {
            if (w.get(i).equals("--root")) {
                return new HostSnapshotReader(new HostRoot(Path.of(w.get(i + 1)))).read(w.get(i + 1));
            }
            if (w.get(i).equals("--host") && w.get(i + 1).equals("demo")) {
                return new HostSnapshotReader(new HostRoot(DemoHost.root())).read("demo");
            }
        }
        return new HostSnapshotReader(HostRoot.local()).read("local");
    }

    private static List<CompletionProposal> matching(CompletionContext ctx, List<CompletionProposal> all) {
        String prefix = ctx.currentWordUpToCursor() == null ? "" : ctx.currentWordUpToCursor();
        return all.stream().filter(p -> p.value().startsWith(prefix)).toList();
    }

    @Bean
    public CompletionProvider pciAddresses() {
        return ctx -> {
            HostSnapshot h = host(ctx);
            PciIdNames names = PciIdNames.load(h.source().equals("demo") ? new HostRoot(DemoHost.root()) : HostRoot.local(), h.devices());
            List<CompletionProposal> out = new ArrayList<>();
            for (PciDevice d : h.devices()) {
                if (!d.isBridge()) {
                    out.add(new CompletionProposal(d.address().toString()).description(d.classWord() + " " + names.describe(d)
                            + " (" + (d.driver() == null ? "no driver" : d.driver()) + ")"));
                }
            }
            return matching(ctx, out);
        };
    }

    @Bean
    public CompletionProvider pfNetdevs() {
        return ctx -> matching(ctx, host(ctx).devices().stream().filter(PciDevice::isSriovPhysicalFunction)
                .flatMap(d -> d.netdevs().stream().map(n -> new CompletionProposal(n).description("SR-IOV PF " + d.address()
                        + ", " + d.sriov().numVfs() + "/" + d.sriov().totalVfs() + " VFs")))
                .toList());
    }

    @Bean
    public CompletionProvider domainNames() {
        return ctx -> {
            boolean demo = ctx.getWords().contains("demo");
            try (LibvirtConnection c = targets.open(demo ? "demo" : null, null, true)) {
                return matching(ctx, c.domains().stream().map(DomainSummary::name)
                        .map(n -> new CompletionProposal(n)).toList());
            } catch (LibvirtFailure e) {
                return List.of();
            }
        };
    }

    @Bean
    public CompletionProvider templateNames() {
        return ctx -> matching(ctx, TemplateCatalogue.withUserDirectory(StateDirs.config().resolve("templates")).all().stream()
                .map(Template::name).map(n -> new CompletionProposal(n)).toList());
    }

    @Bean
    public CompletionProvider profileNames() {
        return ctx -> matching(ctx, RuleCatalogue.withDirectory(StateDirs.config().resolve("rules")).profiles().stream()
                .map(Profile::name).map(n -> new CompletionProposal(n)).toList());
    }

    /** URIs given to connect before (from the shell history), and the usual ones. */
    @Bean
    public CompletionProvider libvirtUris() {
        return ctx -> {
            Set<String> uris = new LinkedHashSet<>(List.of("qemu:///system", "test:///default"));
            Path history = StateDirs.state().resolve("history");
            try {
                if (Files.exists(history)) {
                    for (String line : Files.readAllLines(history)) {
                        int i = line.indexOf("connect --uri ");
                        if (i >= 0) {
                            uris.add(line.substring(i + "connect --uri ".length()).strip());
                        }
                    }
                }
            } catch (java.io.IOException | java.io.UncheckedIOException e) {
                // no history: the usual URIs only
            }
            return matching(ctx, uris.stream().map(u -> new CompletionProposal(u)).toList());
        };
    }
}
