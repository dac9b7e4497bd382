package dev.vfiokit.libvirt;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** libvirt's installed domain.rng compiled once in process, judging as libvirt's validate-on-define does. */
class DomainSchemaIT {
    private static final String OK = """
            <domain type='qemu'>
              <name>schema-ok</name>
              <memory unit='MiB'>512</memory>
              <vcpu>1</vcpu>
              <os><type arch='x86_64'>hvm</type></os>
            </domain>
            """;

    @Test
    void aValidDomainFitsAndABrokenOneIsNamedByLine() {
        DomainSchema s = DomainSchema.installed().orElseThrow(() -> new AssertionError("libvirt's schemas are not installed"));
        assertThat(s).isSameAs(DomainSchema.installed().orElseThrow());
        assertThat(s.check(OK)).isEmpty();
        assertThat(s.check(OK.replace("<vcpu>1</vcpu>", "<vcpu>1</vcpu>\n  <frobnicate/>")))
                .hasValueSatisfying(e -> assertThat(e).startsWith("line 5: ").contains("frobnicate"));
        assertThat(s.check(OK.replace("<memory unit='MiB'>512</memory>", "<memory unit='MiB'>lots</memory>"))).isPresent();
    }

    @Test
    void libvirtsTestDriverGetsOnlyWhatFitsAndDefinesItWithoutValidatingAgain() {
        try (LibvirtConnection c = LibvirtConnection.open("test:///default", false)) {
            assertThat(c.define(OK).name()).isEqualTo("schema-ok");
            assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> c.define(OK.replace("schema-ok", "schema-bad")
                    .replace("<vcpu>1</vcpu>", "<vcpu>1</vcpu>\n  <frobnicate/>"))))
                    .isInstanceOf(LibvirtFailure.class).hasMessageContaining("libvirt's schema").hasMessageContaining("line 5");
            assertThat(c.domains()).noneMatch(d -> d.name().equals("schema-bad"));
        }
    }
}
