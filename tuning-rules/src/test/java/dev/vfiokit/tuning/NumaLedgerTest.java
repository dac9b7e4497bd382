package dev.vfiokit.tuning;

import dev.vfiokit.iommucheck.fixture.FixtureHosts;
import dev.vfiokit.iommucheck.host.HostSnapshot;
import dev.vfiokit.iommucheck.input.SecureXml;
import dev.vfiokit.iommucheck.host.HostRoot;
import dev.vfiokit.iommucheck.host.HostSnapshotReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Domains placed one after another on one host through the ledger (what provisioning does): no CPU is given twice,
 * and no hugepage is promised twice. EPYC fixture: the GPU's node 1 has 4,096 free 2M pages, the guest wants 8 GiB.
 */
class NumaLedgerTest {
    @TempDir
    Path dir;

    private static final Profile PLACE = new Profile("place", "", Set.of(), List.of("vcpu-pinning", "hugepages"), "test");

    @Test
    void aSecondGuestGetsOtherCoresAndNoPagesAlreadyPromised() throws Exception {
        FixtureHosts.epycServer().writeTo(dir);
        HostSnapshot epyc = new HostSnapshotReader(new HostRoot(dir)).read("epyc");
        Tuner tuner = new Tuner(RuleTest.CATALOGUE);
        String first = RuleTest.input("linux-gpu");
        TuningResult a = tuner.tuneFile(first, null, PLACE, epyc, NumaLedger.NONE);
        assertThat(a.outcomes()).extracting(RuleOutcome::status).containsOnly(RuleOutcome.Status.APPLIED);
        NumaLedger ledger = NumaLedger.NONE.with("linux-gpu", SecureXml.parse(a.tunedXml(), "a").getDocumentElement());
        assertThat(ledger.claimed(1, 2048)).isEqualTo(4096);

        TuningResult b = tuner.tuneFile(first.replace("<name>linux-gpu</name>", "<name>second</name>"), null, PLACE, epyc, ledger);
        List<Integer> mine = new ArrayList<>(RuleTest.pins(a.tunedXml()));
        assertThat(RuleTest.pins(b.tunedXml())).hasSize(8).doesNotContainAnyElementsOf(mine);
        RuleOutcome pages = b.outcomes().get(1);
        assertThat(pages.status()).isEqualTo(RuleOutcome.Status.CANNOT_APPLY);
        assertThat(pages.reason()).startsWith("node 1 has not enough free hugepages for 8192 MiB (0 x 2M");

        // the guest being placed again keeps its own: without it, its cores and pages are free once more
        TuningResult again = tuner.tuneFile(a.tunedXml(), null, PLACE, epyc, ledger);
        assertThat(again.outcomes()).extracting(RuleOutcome::status).containsOnly(RuleOutcome.Status.UNCHANGED);
    }
}
