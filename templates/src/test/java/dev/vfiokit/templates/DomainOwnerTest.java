package dev.vfiokit.templates;

import dev.vfiokit.templates.xml.Domain;
import dev.vfiokit.templates.xml.DomainXml;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class DomainOwnerTest {
    private static final String BARE = "<domain type='kvm'><name>vm1</name><memory unit='MiB'>512</memory>"
            + "<os><type arch='x86_64'>hvm</type></os></domain>";

    @Test
    void aMarkedDomainSaysWhoMadeItAndAnUnmarkedOneIsNobodys() {
        Domain d = DomainXml.read(BARE);
        new DomainOwner("domain generate", "vm1", null, "1.2.3").mark(d);
        String xml = DomainXml.write(d);
        assertThat(xml).contains("<metadata>", "xmlns:vfiokit=\"" + DomainOwner.NS + "\"");
        assertThat(DomainOwner.in(xml)).contains(new DomainOwner("domain generate", "vm1", null, "1.2.3"));
        assertThat(DomainOwner.in(BARE)).isEmpty();
        // a look-alike element outside <metadata>, or in another namespace, is not a mark
        assertThat(DomainOwner.in("<domain><description><owner by='provision'/></description>"
                + "<metadata><x:owner xmlns:x='urn:other' by='provision'/></metadata></domain>")).isEmpty();
    }

    @Test
    void markingAgainReplacesTheMarkAndKeepsTheTemplatesOwnMetadata() {
        Domain d = DomainXml.read("<domain type='kvm'><name>vm1</name><metadata><lib:os xmlns:lib='http://libosinfo.org/xmlns/libvirt/domain/1.0' id='x'/>"
                + "</metadata></domain>");
        new DomainOwner("domain generate", "vm1", null, "1").mark(d);
        new DomainOwner("provision", "vm1", "demo.yaml", "1").mark(d);
        String xml = DomainXml.write(d);
        assertThat(xml).contains("libosinfo.org").containsOnlyOnce("vfiokit:owner");
        assertThat(DomainOwner.in(xml).orElseThrow().by()).isEqualTo("provision");
        DomainOwner.unmark(d);
        assertThat(DomainOwner.in(DomainXml.write(d))).isEmpty();
        assertThat(DomainXml.write(d)).contains("libosinfo.org");
    }

    @Test
    void theMarkGoesIntoWrittenXmlWithOrWithoutMetadataAndIsEscaped() {
        DomainOwner o = new DomainOwner("provision", "a\"<b", "m&.yaml", "1");
        String into = o.markXml("<domain>\n  <name>x</name>\n</domain>\n");
        assertThat(DomainOwner.in(into)).contains(o);
        String existing = o.markXml("<domain><name>x</name><metadata><y:z xmlns:y='urn:y'/></metadata></domain>");
        assertThat(existing).containsOnlyOnce("<metadata>");
        assertThat(DomainOwner.in(existing)).contains(o);
    }
}
