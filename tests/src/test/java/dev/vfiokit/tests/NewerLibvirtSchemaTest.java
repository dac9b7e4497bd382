package dev.vfiokit.tests;

import dev.vfiokit.iommucheck.fixture.FixtureHosts;
import dev.vfiokit.iommucheck.host.HostRoot;
import dev.vfiokit.iommucheck.host.HostSnapshot;
import dev.vfiokit.iommucheck.host.HostSnapshotReader;
import dev.vfiokit.iommucheck.host.LibvirtVersion;
import dev.vfiokit.iommucheck.host.PciAddress;
import dev.vfiokit.libvirt.DomainSchema;
import dev.vfiokit.templates.DomainGenerator;
import dev.vfiokit.templates.DomainRequest;
import dev.vfiokit.templates.Template;
import dev.vfiokit.templates.TemplateCatalogue;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The far side of the libvirt-version gate: what domain generate writes for libvirt 12.1+ (a variant driver's
 * {@code <driver model>} and {@code iommufd='yes'}) cannot be judged by this machine's libvirt 9.0, so it is judged by a
 * newer libvirt's own schema: Debian unstable's libvirt-common (its /usr/share/libvirt/schemas), fetched once into the
 * cache. The same documents are refused by libvirt 9.0's schema, which is why they are never written for it.
 */
@Tag("corpus")
class NewerLibvirtSchemaTest {
    @TempDir
    Path tmp;

    static Path sidSchema() throws Exception {
        Path base = LibvirtCorpusTest.cached("vfiokit-tests/libvirt-schemas-sid");
        Path rng = base.resolve("usr/share/libvirt/schemas/domain.rng");
        if (!Files.exists(rng)) {
            Files.createDirectories(base);
            String script = "set -euo pipefail; cd '" + base + "'; M=http://deb.debian.org/debian; "
                    + "f=$(curl -fsS --max-time 120 $M/dists/sid/main/binary-amd64/Packages.xz | xz -dc "
                    + "| awk '$1==\"Package:\"{p=($2==\"libvirt-common\")} p&&$1==\"Filename:\"&&!d{print $2; d=1}'); "
                    + "curl -fsS --max-time 300 -o common.deb $M/$f; dpkg-deb -x common.deb .; rm common.deb; basename $f > version";
            Process p = new ProcessBuilder("bash", "-c", script).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            assertThat(p.waitFor(600, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).as("fetching libvirt-common from Debian unstable: " + out).isZero();
        }
        return rng;
    }

    @Test
    void xmlForLibvirt121PassesANewerLibvirtsSchemaAndWouldFailThisOnes() throws Exception {
        Path rng = sidSchema();
        System.out.println("newer libvirt schema: " + Files.readString(rng.getParent().getParent().getParent().getParent().getParent()
                .resolve("version")).strip());
        DomainSchema newer = DomainSchema.load(rng);
        FixtureHosts.iommufdHost().writeTo(tmp.resolve("host"));
        HostSnapshot host = new HostSnapshotReader(new HostRoot(tmp.resolve("host"))).read("iommufd");
        List<String> refusedByNewer = new ArrayList<>();
        int judged = 0;
        for (Template t : TemplateCatalogue.builtin().all()) {
            DomainRequest r = new DomainRequest(t.name(), "gate-" + t.name(), "kvm", 2, "16GiB", null,
                    List.of(PciAddress.parse("0000:03:00.2"), PciAddress.parse("0000:01:00.0")), List.of(), List.of(), true, null, false,
                    Map.of()).forLibvirt(LibvirtVersion.parse("12.1.0"));
            String xml = new DomainGenerator(host, Map.of()).generate(t, r).xml();
            assertThat(xml).contains("model=\"mlx5_vfio_pci\" iommufd=\"yes\"", "<hard_limit");
            judged++;
            newer.check(xml).ifPresent(p -> refusedByNewer.add(t.name() + ": " + p));
            if (DomainSchema.installed().isPresent()) {
                assertThat(DomainSchema.installed().get().check(xml)).as("libvirt 9.0's schema refuses " + t.name()).isPresent();
            }
        }
        assertThat(judged).isEqualTo(TemplateCatalogue.builtin().all().size());
        assertThat(refusedByNewer).as("refused by the newer libvirt's schema").isEmpty();
    }
}
