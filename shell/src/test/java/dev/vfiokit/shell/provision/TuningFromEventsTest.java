package dev.vfiokit.shell.provision;

import dev.vfiokit.iommucheck.fixture.FixtureHosts;
import dev.vfiokit.iommucheck.host.HostRoot;
import dev.vfiokit.iommucheck.host.HostSnapshot;
import dev.vfiokit.iommucheck.host.HostSnapshotReader;
import dev.vfiokit.iommucheck.host.PciAddress;
import dev.vfiokit.templates.DomainGenerator;
import dev.vfiokit.templates.DomainOwner;
import dev.vfiokit.templates.DomainRequest;
import dev.vfiokit.templates.Template;
import dev.vfiokit.templates.TemplateCatalogue;
import dev.vfiokit.templates.xml.Domain;
import dev.vfiokit.templates.xml.DomainXml;
import dev.vfiokit.tuning.NumaLedger;
import dev.vfiokit.tuning.Profile;
import dev.vfiokit.tuning.RuleCatalogue;
import dev.vfiokit.tuning.RuleOutcome;
import dev.vfiokit.tuning.Tuner;
import dev.vfiokit.tuning.TuningInput;
import dev.vfiokit.tuning.TuningResult;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A domain read into the tuner from the JAXB marshaller's events (no text written) tunes exactly as its written text
 * does, for every built-in template and profile; what the events way does not mirror takes the text way.
 */
class TuningFromEventsTest {
    @TempDir
    Path dir;

    private HostSnapshot epyc;

    @BeforeEach
    void host() {
        FixtureHosts.epycServer().writeTo(dir);
        epyc = new HostSnapshotReader(new HostRoot(dir)).read("epyc");
    }

    /** The domain as provisioning drafts it: generated, vfiokit's mark taken off (it goes on as text after tuning). */
    private Domain domain(Template t, String name) {
        List<PciAddress> gpus = epyc.gpus().stream().limit(1).map(g -> g.address()).toList();
        DomainRequest req = new DomainRequest(t.name(), name, "kvm", 4, "4GiB", null, t.name().contains("gpu") ? gpus : List.of(),
                List.of(), List.of(), true, null, false, Map.of(), List.of());
        Domain d = new DomainGenerator(epyc, Map.of()).domain(t, req);
        DomainOwner.unmark(d);
        d.description = ProvisionPlanner.STAMP + "pending";
        return d;
    }

    /** Tunes from events and from text; returns how often the events way asked for the text. */
    private int assertSameTuning(Domain d, Profile p) {
        AtomicInteger textAsked = new AtomicInteger();
        TuningInput events = TuningInput.ofEvents(h -> DomainXml.writeTo(d, h), DomainXml.INDENT_STEP, () -> {
            textAsked.incrementAndGet();
            return DomainXml.write(d);
        });
        Tuner tuner = new Tuner(RuleCatalogue.builtin());
        TuningResult fromEvents = tuner.tuneToDefine(events, p, epyc, NumaLedger.NONE);
        TuningResult fromText = tuner.tuneFile(DomainXml.write(d), null, p, epyc, NumaLedger.NONE);
        assertThat(fromEvents.tunedXml()).as(p.name()).isEqualTo(fromText.tunedXml());
        assertThat(fromEvents.outcomes()).extracting(RuleOutcome::status).isEqualTo(fromText.outcomes().stream().map(RuleOutcome::status).toList());
        assertThat(fromEvents.outcomes()).extracting(RuleOutcome::changes).isEqualTo(fromText.outcomes().stream().map(RuleOutcome::changes).toList());
        return textAsked.get();
    }

    @Test
    void everyBuiltinTemplateTunedFromItsEventsEqualsItsTextTunedWithEveryProfileAndNoTextIsWritten() {
        List<String> tuned = new ArrayList<>();
        for (Template t : TemplateCatalogue.builtin().all()) {
            Domain d;
            try {
                d = domain(t, "vm-" + t.name());
            } catch (IllegalArgumentException needsWhatTheFixtureLacks) {
                continue;
            }
            for (Profile p : RuleCatalogue.builtin().profiles()) {
                assertThat(assertSameTuning(d, p)).as(t.name() + " with " + p.name() + ": the text was written").isZero();
                tuned.add(t.name() + "/" + p.name());
            }
        }
        assertThat(tuned).as("templates tuned both ways").hasSizeGreaterThanOrEqualTo(2 * RuleCatalogue.builtin().profiles().size());
    }

    @Test
    void quotesMarkupNonAsciiAndNamespacesTakeTheTextWayAndTuneTheSame() {
        Template t = TemplateCatalogue.builtin().get("gpu-compute");
        Profile p = RuleCatalogue.builtin().profiles().get(0);
        for (String title : List.of("the \"blue\" one", "it's mine", "a & b <c>", "Grafikkarte für Ärzte", "tab\there")) {
            Domain d = domain(t, "vm-1");
            d.title = title;
            assertThat(assertSameTuning(d, p)).as(title).isEqualTo(1);
        }
        // vfiokit's mark, in its own namespace, as `domain generate` writes it
        Domain marked = new DomainGenerator(epyc, Map.of()).domain(t, new DomainRequest(t.name(), "vm-2", "kvm", 2, "2GiB", null,
                List.of(), List.of(), List.of(), true, null, false, Map.of(), List.of()));
        assertThat(DomainXml.write(marked)).contains("xmlns:vfiokit=");
        assertThat(assertSameTuning(marked, p)).isEqualTo(1);
    }
}
