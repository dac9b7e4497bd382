package dev.vfiokit.tests;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The module rules of DESIGN.md, checked on the product's compiled classes (not the tests', not the benchmarks').
 * A rule that matched nothing would prove nothing, so each also asserts that the allowed side really does it.
 */
class ArchitectureTest {
    private static JavaClasses product;

    @BeforeAll
    static void importProductClasses() {
        product = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.vfiokit");
        product = product.that(com.tngtech.archunit.base.DescribedPredicate.not(
                com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage("dev.vfiokit.tests..")));
        assertThat(product.size()).as("product classes imported").isGreaterThan(150);
    }

    @Test
    void onlyTheLibvirtAdapterImportsOrgLibvirt() {
        ArchRule rule = noClasses().that().resideOutsideOfPackage("dev.vfiokit.libvirt..")
                .should().dependOnClassesThat().resideInAPackage("org.libvirt..");
        rule.check(product);
        assertThat(product.stream().filter(c -> c.getPackageName().startsWith("dev.vfiokit.libvirt"))
                .anyMatch(c -> c.getDirectDependenciesFromSelf().stream().anyMatch(d -> d.getTargetClass().getPackageName().startsWith("org.libvirt"))))
                .isTrue();
    }

    @Test
    void onlySystemCommandsStartsAProcess() {
        ArchRule rule = noClasses().that().doNotHaveFullyQualifiedName("dev.vfiokit.vfio.SystemCommands")
                .should().dependOnClassesThat().resideInAPackage("org.apache.commons.exec..")
                .orShould().dependOnClassesThat().haveFullyQualifiedName(ProcessBuilder.class.getName())
                .orShould().callMethod(Runtime.class, "exec", String.class)
                .orShould().callMethod(Runtime.class, "exec", String[].class)
                .orShould().callMethod(Runtime.class, "exec", String[].class, String[].class)
                .orShould().callMethod(Runtime.class, "exec", String[].class, String[].class, java.io.File.class)
                .orShould().callMethod(Runtime.class, "exec", String.class, String[].class)
                .orShould().callMethod(Runtime.class, "exec", String.class, String[].class, java.io.File.class);
        rule.check(product);
        assertThat(product.get("dev.vfiokit.vfio.SystemCommands").getDirectDependenciesFromSelf().stream()
                .anyMatch(d -> d.getTargetClass().getPackageName().startsWith("org.apache.commons.exec"))).isTrue();
    }

    @Test
    void noModuleBelowTheShellKnowsSpring() {
        ArchRule rule = noClasses().that().resideOutsideOfPackage("dev.vfiokit.shell..")
                .should().dependOnClassesThat().resideInAPackage("org.springframework..");
        rule.check(product);
    }

    /**
     * Spring Shell 3 to 4 rewrote the command model; commands that know only the declarative annotations make the
     * next major a change of the one adapter (dev.vfiokit.shell.cli and the prompt), not of every command.
     */
    @Test
    void commandsKnowSpringShellOnlyByItsAnnotations() {
        com.tngtech.archunit.base.DescribedPredicate<com.tngtech.archunit.core.domain.JavaClass> shellInternals =
                com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage("org.springframework.shell..")
                        .and(com.tngtech.archunit.base.DescribedPredicate.not(com.tngtech.archunit.core.domain.JavaClass.Predicates
                                .resideInAPackage("org.springframework.shell.core.command.annotation")));
        ArchRule rule = noClasses().that().haveSimpleNameEndingWith("Commands").and().resideInAPackage("dev.vfiokit.shell")
                .should().dependOnClassesThat(shellInternals);
        rule.check(product);
        assertThat(product.get("dev.vfiokit.shell.CheckCommands").getDirectDependenciesFromSelf().stream()
                .anyMatch(d -> d.getTargetClass().getPackageName().equals("org.springframework.shell.core.command.annotation"))).isTrue();
    }

    @Test
    void theUseCasesAreSpringFree() {
        ArchRule rule = noClasses().that().resideInAPackage("dev.vfiokit.shell.usecase..")
                .should().dependOnClassesThat().resideInAPackage("org.springframework..");
        rule.check(product);
        assertThat(product.stream().filter(c -> c.getPackageName().equals("dev.vfiokit.shell.usecase")).count()).isGreaterThanOrEqualTo(2);
    }

    @Test
    void onlyVfioChangesTheHostThroughHostWriter() {
        ArchRule rule = noClasses().that().resideOutsideOfPackages("dev.vfiokit.vfio..", "dev.vfiokit.shell..")
                .should().dependOnClassesThat().haveFullyQualifiedName("dev.vfiokit.vfio.HostWriter");
        rule.check(product);
    }
}
