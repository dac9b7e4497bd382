package dev.vfiokit.shell.usecase;

import dev.vfiokit.iommucheck.fixture.FixtureHosts;
import dev.vfiokit.iommucheck.host.HostRoot;
import dev.vfiokit.iommucheck.host.HostSnapshot;
import dev.vfiokit.iommucheck.host.HostSnapshotReader;
import dev.vfiokit.templates.RequestRefused;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The one mdev policy, on the EPYC fixture's T4 (one free nvidia-223 mdev, one instance of nvidia-231). */
class MdevAllocationTest {
    private static final String FREE_223 = "b8a7d9e2-6c1f-4e0a-9d3b-2f6a1c4e5d70";

    @TempDir
    Path dir;

    private HostSnapshot epyc;

    @BeforeEach
    void host() {
        FixtureHosts.epycServer().writeTo(dir);
        epyc = new HostSnapshotReader(new HostRoot(dir)).read("epyc");
    }

    @Test
    void aFreeExistingMdevIsTakenOnceAndThenANewOneIsPlanned() {
        MdevAllocation a = new MdevAllocation(epyc, Set.of());
        assertThat(a.allocate("nvidia-223", null)).isEqualTo(new MdevAllocation.Existing(epyc.mdevs().stream()
                .filter(m -> m.uuid().equals(FREE_223)).findFirst().orElseThrow()));
        MdevAllocation.Choice next = a.allocate("nvidia-223", null);
        assertThat(next).isInstanceOf(MdevAllocation.ToCreate.class);
        assertThat(((MdevAllocation.ToCreate) next).parent().name()).isEqualTo("0000:a1:00.0");
    }

    @Test
    void anMdevADomainUsesIsNotFree() {
        assertThat(new MdevAllocation(epyc, Set.of(FREE_223)).allocate("nvidia-223", null)).isInstanceOf(MdevAllocation.ToCreate.class);
    }

    @Test
    void aParentIsNeverPromisedMoreInstancesThanItHas() {
        MdevAllocation a = new MdevAllocation(epyc, Set.of());
        MdevAllocation.ToCreate first = (MdevAllocation.ToCreate) a.allocate("GRID T4-16Q", null);
        assertThat(first.type().id()).isEqualTo("nvidia-231");
        assertThatThrownBy(() -> a.allocate("nvidia-231", null)).isInstanceOf(RequestRefused.class)
                .hasMessage("no parent on host epyc has a free instance of mdev type 'nvidia-231' left (domains placed before this one count)");
        assertThatThrownBy(() -> a.allocate("nvidia-231", "0000:a1:00.0")).isInstanceOf(RequestRefused.class)
                .hasMessage("parent 0000:a1:00.0 has no free instance of mdev type nvidia-231 left (domains placed before this one count)");
    }

    @Test
    void aTypeNoParentOffersIsRefused() {
        assertThatThrownBy(() -> new MdevAllocation(epyc, Set.of()).allocate("nvidia-999", null)).isInstanceOf(RequestRefused.class)
                .hasMessage("no parent on host epyc has a free instance of mdev type 'nvidia-999'");
    }
}
