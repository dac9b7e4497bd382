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
    void aValidatorKeptForTheNextDocumentJudgesEachOnItsOwnAfterBrokenAndUnparsableOnes() throws Exception {
        DomainSchema s = DomainSchema.installed().orElseThrow();
        String broken = OK.replace("<vcpu>1</vcpu>", "<vcpu>1</vcpu>\n  <frobnicate/>");
        for (int i = 0; i < 3; i++) {
            assertThat(s.check(OK)).isEmpty();
            assertThat(s.check(broken)).isPresent();
            assertThat(s.check("<domain type='qemu'><name>cut")).isPresent();
        }
        assertThat(s.check(OK)).isEmpty();
        // threads do not share a validator
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4);
        java.util.List<java.util.concurrent.Future<Boolean>> fs = new java.util.ArrayList<>();
        for (int i = 0; i < 200; i++) {
            boolean good = i % 3 != 0;
            fs.add(pool.submit(() -> s.check(good ? OK : broken).isEmpty() == good));
        }
        for (var f : fs) {
            assertThat(f.get()).isTrue();
        }
        pool.shutdown();
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
