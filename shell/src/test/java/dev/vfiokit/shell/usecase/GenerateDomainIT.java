package dev.vfiokit.shell.usecase;

import dev.vfiokit.iommucheck.fixture.FixtureHosts;
import dev.vfiokit.iommucheck.host.HostRoot;
import dev.vfiokit.iommucheck.host.HostSnapshot;
import dev.vfiokit.iommucheck.host.HostSnapshotReader;
import dev.vfiokit.iommucheck.host.PciAddress;
import dev.vfiokit.libvirt.PersistedDomain;
import dev.vfiokit.libvirt.TestDriverHostFile;
import dev.vfiokit.shell.HostSelection;
import dev.vfiokit.shell.LibvirtTargets;
import dev.vfiokit.templates.DomainOwner;
import dev.vfiokit.templates.DomainRequest;
import dev.vfiokit.templates.RequestRefused;
import dev.vfiokit.templates.TemplateCatalogue;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The domain generate use case in process, against libvirt's test driver loaded with the EPYC fixture: the host's
 * devices, the domains already there, the domain type, the ownership rule, and libvirt left alone on refusal.
 */
class GenerateDomainIT {
    @TempDir
    Path dir;

    private String uri;
    private final LibvirtTargets libvirt = new LibvirtTargets();

    @BeforeEach
    void host() {
        FixtureHosts.epycServer().writeTo(dir.resolve("tree"));
        HostSnapshot snap = new HostSnapshotReader(new HostRoot(dir.resolve("tree"))).read("epyc");
        String hand = "<domain type='kvm'><name>by-hand</name><memory unit='MiB'>512</memory><vcpu>1</vcpu>"
                + "<os><type arch='x86_64'>hvm</type></os><devices><hostdev mode='subsystem' type='pci' managed='yes'><source>"
                + "<address domain='0x0000' bus='0x21' slot='0x00' function='0x0'/></source></hostdev></devices></domain>";
        uri = "test://" + TestDriverHostFile.write(snap, List.of(new PersistedDomain("by-hand", hand, false)), dir.resolve("host.xml"));
    }

    private GenerateDomain.Result generate(String name, String gpu, boolean define) {
        HostSelection.Selected h = new HostSelection(libvirt).select(null, null, uri);
        DomainRequest draft = new DomainRequest("gpu-compute", name, null, null, null, null, List.of(PciAddress.parse(gpu)),
                List.of(), List.of(), true, null, false, Map.of());
        return new GenerateDomain(libvirt).run(TemplateCatalogue.builtin().get("gpu-compute"), draft, h,
                new GenerateDomain.Where(null, null, uri), null, null, null, define, words -> String.join(" ", words));
    }

    @Test
    void aDomainIsGeneratedForTheHostDefinedWithVfiokitsMarkAndTheTypeLibvirtOffers() {
        GenerateDomain.Result r = generate("trainer-01", "0000:41:00.0", true);
        assertThat(r.defined()).isTrue();
        assertThat(r.notes()).contains("0000:41:00.1 (audio) added: the functions of 0000:41:00 go together")
                .anyMatch(n -> n.startsWith("defined trainer-01 on test://"));
        assertThat(DomainOwner.in(r.domain().xml()).orElseThrow().by()).isEqualTo(DomainOwner.BY_GENERATE);
        assertThat(r.domain().domain().type).as("the test driver offers no kvm").isEqualTo("qemu");
    }

    @Test
    void aDeviceAnotherDomainHoldsAndADomainTheAdminMadeAreRefused() {
        assertThatThrownBy(() -> generate("x", "0000:21:00.0", false)).isInstanceOf(RequestRefused.class)
                .hasMessage("0000:21:00.0 is already given to domain 'by-hand'");
        assertThatThrownBy(() -> generate("by-hand", "0000:41:00.0", true)).isInstanceOf(RequestRefused.class)
                .hasMessageContaining("domain 'by-hand' already exists on test://").hasMessageContaining("not made by vfiokit domain generate");
    }
}
