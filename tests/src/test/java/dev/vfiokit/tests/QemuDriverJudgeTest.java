package dev.vfiokit.tests;

import dev.vfiokit.iommucheck.fixture.FixtureHosts;
import dev.vfiokit.iommucheck.host.HostRoot;
import dev.vfiokit.iommucheck.host.HostSnapshot;
import dev.vfiokit.iommucheck.host.HostSnapshotReader;
import dev.vfiokit.iommucheck.host.PciAddress;
import dev.vfiokit.libvirt.LibvirtConnection;
import dev.vfiokit.libvirt.LibvirtFailure;
import dev.vfiokit.templates.DomainGenerator;
import dev.vfiokit.templates.DomainRequest;
import dev.vfiokit.templates.Template;
import dev.vfiokit.templates.TemplateCatalogue;
import dev.vfiokit.templates.VfRequest;
import dev.vfiokit.tuning.RuleCatalogue;
import dev.vfiokit.tuning.Tuner;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * libvirt's real QEMU driver judges what vfiokit writes, not only its schema: every built-in template with each device
 * kind (a GPU with its audio function, two VFs, an mdev) on the EPYC fixture, untuned and tuned with every profile, is
 * defined on qemu:///system (type qemu; libvirt checks a hostdev's source only at start) and undefined again.
 */
@Tag("libvirtd")
class QemuDriverJudgeTest {
    private static final List<String> PROFILES = List.of("compute-headless", "gpu-desktop", "nfv", "balanced");
    private static final String MDEV = "b8a7d9e2-6c1f-4e0a-9d3b-2f6a1c4e5d70"; // the fixture T4's free mdev

    @TempDir
    Path tmp;

    @Test
    void everyTemplateWithEveryDeviceKindAndEveryProfileIsAcceptedByTheQemuDriver() {
        FixtureHosts.epycServer().writeTo(tmp);
        HostSnapshot epyc = new HostSnapshotReader(new HostRoot(tmp)).read("epyc");
        Tuner tuner = new Tuner(RuleCatalogue.builtin());
        List<String> refused = new ArrayList<>();
        int judged = 0;
        try (LibvirtConnection c = LibvirtConnection.open("qemu:///system", false)) {
            for (Template t : TemplateCatalogue.builtin().all()) {
                for (String kind : List.of("gpu", "vfs", "mdev")) {
                    String name = "vfiokit-judge-" + ProcessHandle.current().pid() + "-" + t.name() + "-" + kind;
                    DomainRequest r = new DomainRequest(t.name(), name, "qemu", 2, "1GiB", null,
                            kind.equals("gpu") ? List.of(PciAddress.parse("0000:41:00.0")) : List.of(),
                            kind.equals("vfs") ? List.of(VfRequest.parse("ens1f0np0"), VfRequest.parse("ens1f0np0")) : List.of(),
                            kind.equals("mdev") ? List.of(MDEV) : List.of(), true, null, false, Map.of());
                    String xml = new DomainGenerator(epyc, Map.of()).generate(t, r).xml();
                    List<String> variants = new ArrayList<>(List.of(xml));
                    PROFILES.forEach(p -> variants.add(tuner.tune(xml, p, epyc).tunedXml()));
                    for (int i = 0; i < variants.size(); i++) {
                        String label = t.name() + " + " + kind + (i == 0 ? "" : " tuned " + PROFILES.get(i - 1));
                        judged++;
                        try {
                            c.define(variants.get(i));
                            c.undefine(name);
                        } catch (LibvirtFailure e) {
                            refused.add(label + ": " + e.getMessage());
                        }
                    }
                }
            }
        }
        assertThat(judged).isEqualTo(TemplateCatalogue.builtin().all().size() * 3 * (PROFILES.size() + 1));
        assertThat(refused).as("refused by libvirt's QEMU driver").isEmpty();
    }
}
