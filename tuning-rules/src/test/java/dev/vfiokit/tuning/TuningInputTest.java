package dev.vfiokit.tuning;

import dev.vfiokit.iommucheck.fixture.FixtureHosts;
import dev.vfiokit.iommucheck.host.HostSnapshot;
import dev.vfiokit.iommucheck.host.HostRoot;
import dev.vfiokit.iommucheck.host.HostSnapshotReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TuningInputTest {
    private static final RuleCatalogue CATALOGUE = RuleCatalogue.builtin();
    private static final String XML = """
            <domain type='kvm'>
              <name>vm-1</name>
              <memory unit='KiB'>4194304</memory>
              <vcpu placement='static'>4</vcpu>
              <os><type arch='x86_64' machine='pc-q35-7.2'>hvm</type></os>
              <devices>
                <interface type='network'><source network='default'/><model type='virtio'/></interface>
                <input type='tablet' bus='usb'/>
                <memballoon model='virtio'/>
              </devices>
            </domain>
            """;

    @TempDir
    java.nio.file.Path dir;

    @Test
    void aDomainReadOnAnotherThreadTunesAsOneReadByTheTuner() throws Exception {
        FixtureHosts.demo().writeTo(dir);
        HostSnapshot host = new HostSnapshotReader(new HostRoot(dir)).read("demo");
        Profile p = CATALOGUE.profile("balanced");
        TuningResult byTuner = new Tuner(CATALOGUE).tuneToDefine(TuningInput.of(XML), p, host, NumaLedger.NONE);
        TuningInput ahead = TuningInput.of(XML);
        CompletableFuture.runAsync(ahead::read).get();
        assertThat(ahead.isRead()).isTrue();
        TuningResult readAhead = new Tuner(CATALOGUE).tuneToDefine(ahead, p, host, NumaLedger.NONE);
        assertThat(readAhead.tunedXml()).isEqualTo(byTuner.tunedXml())
                .isEqualTo(new Tuner(CATALOGUE).tuneFile(XML, null, p, host, NumaLedger.NONE).tunedXml());
        assertThat(readAhead.outcomes()).isEqualTo(byTuner.outcomes());
    }

    @Test
    void anInputIsTunedOnceAndATextThatDoesNotReadIsRefusedWhenTunedAsWithoutReadingAhead() {
        Profile p = CATALOGUE.profile("balanced");
        TuningInput once = TuningInput.of(XML);
        new Tuner(CATALOGUE).tuneToDefine(once, p, null, NumaLedger.NONE);
        assertThatThrownBy(() -> new Tuner(CATALOGUE).tuneToDefine(once, p, null, NumaLedger.NONE))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("tuned once");

        TuningInput broken = TuningInput.of("<domain><name>x</name>");
        broken.read(); // reading ahead throws nothing: the error is the tuning's
        assertThat(broken.isRead()).isTrue();
        String direct = catchMessage(() -> new Tuner(CATALOGUE).tune("<domain><name>x</name>", p, null));
        assertThat(catchMessage(() -> new Tuner(CATALOGUE).tuneToDefine(broken, p, null, NumaLedger.NONE)))
                .isEqualTo(direct).contains("line 1");
    }

    private static String catchMessage(Runnable r) {
        try {
            r.run();
        } catch (RuntimeException e) {
            return e.getMessage();
        }
        throw new AssertionError("no error");
    }
}
