package dev.vfiokit.shell.cli;

import org.junit.jupiter.api.Test;
import org.springframework.shell.core.command.annotation.Command;
import org.springframework.shell.core.command.annotation.Option;

import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class InvocationTest {

    /** A command shaped like vfiokit's: values, a required one, arrays, flags, numbers, a default, a short name. */
    static class Sample {
        @Command(name = "domain  generate", group = "Domains", description = "generate")
        public String generate(@Option(longName = "name", required = true, description = "domain name") String name,
                               @Option(longName = "gpu", description = "GPUs") String[] gpu,
                               @Option(longName = "json", description = "as JSON") boolean json,
                               @Option(longName = "vcpus", description = "vCPUs") Integer vcpus,
                               @Option(longName = "count", defaultValue = "1", description = "how many") int count,
                               @Option(longName = "output", shortName = 'o', description = "file") String output) {
            return name;
        }
    }

    private static final CommandSpec SPEC = spec();

    private static CommandSpec spec() {
        Method m = Arrays.stream(Sample.class.getMethods()).filter(x -> x.getName().equals("generate")).findFirst().orElseThrow();
        return CommandCatalog.spec("sample", m, m.getAnnotation(Command.class));
    }

    private static Object[] bind(String... words) {
        return Invocation.bind(SPEC, List.of(words)).arguments();
    }

    @Test
    void theCommandNameIsItsWordsAndEveryParameterIsAnOption() {
        assertThat(SPEC.name()).isEqualTo("domain generate");
        assertThat(SPEC.options()).extracting(OptionSpec::longName).containsExactly("name", "gpu", "json", "vcpus", "count", "output");
    }

    @Test
    void valuesFlagsNumbersAndDefaultsBindToTheirParameters() {
        assertThat(bind("--name", "vm1", "--json", "--vcpus", "8", "-o", "x.xml"))
                .containsExactly("vm1", new String[0], true, 8, 1, "x.xml");
        assertThat(bind("--name=vm1", "--json", "false", "--count=3")).containsExactly("vm1", new String[0], false, null, 3, null);
    }

    @Test
    void anArrayOptionTakesEveryWordToTheNextOptionAndMayBeRepeated() {
        assertThat((String[]) bind("--gpu", "a", "b", "--name", "vm", "--gpu", "c")[1]).containsExactly("a", "b", "c");
    }

    @Test
    void wordsOfNoOptionFillTheValueOptionsInOrder() {
        assertThat(bind("vm1", "--json")).containsExactly("vm1", new String[0], true, null, 1, null);
        Object[] a = bind("--json", "vm1", "g1", "g2");
        assertThat(a[0]).isEqualTo("vm1");
        assertThat((String[]) a[1]).containsExactly("g1", "g2");
        assertThat(bind("--name", "vm", "--", "--odd-gpu")[1]).isEqualTo(new String[] {"--odd-gpu"});
    }

    @Test
    void aNegativeNumberIsAValueNotAnOption() {
        Object[] a = bind("--name", "vm", "--vcpus", "-2", "--count", "-1");
        assertThat(a[3]).isEqualTo(-2);
        assertThat(a[4]).isEqualTo(-1);
    }

    @Test
    void everyMistakeIsAUsageErrorNamingTheOption() {
        assertThatThrownBy(() -> bind("--json")).isInstanceOf(UsageError.class)
                .hasMessage("missing mandatory option '--name' (domain name)");
        assertThatThrownBy(() -> bind("--name", "a", "--nope")).isInstanceOf(UsageError.class)
                .hasMessage("unknown option '--nope' for 'domain generate' (see: vfiokit help domain generate)");
        assertThatThrownBy(() -> bind("--name", "a", "--name", "b")).hasMessage("option '--name' given more than once");
        assertThatThrownBy(() -> bind("--name")).hasMessage("option '--name' needs a value");
        assertThatThrownBy(() -> bind("--name", "a", "--gpu", "--json")).hasMessage("option '--gpu' needs a value");
        assertThatThrownBy(() -> bind("--name", "a", "--vcpus", "many")).hasMessage("--vcpus: 'many' is not a whole number");
        assertThatThrownBy(() -> bind("--name", "a", "--json=maybe"))
                .hasMessage("--json: 'maybe' is not true or false (or leave the value out)");
        assertThatThrownBy(() -> bind("--gpu", "g", "--name", "a", "--output", "x", "--vcpus", "1", "--count", "1", "stray"))
                .hasMessage("unexpected argument 'stray' for 'domain generate' (see: vfiokit help domain generate)");
    }

    @Test
    void helpAnywhereBeforeTheEndOfOptionsIsHelpEvenOnAnOtherwiseWrongLine() {
        assertThat(Invocation.bind(SPEC, List.of("-h")).helpAsked()).isTrue();
        assertThat(Invocation.bind(SPEC, List.of("--nope", "--json", "--help")).helpAsked()).isTrue();
        assertThat(Invocation.bind(SPEC, List.of("--name", "vm", "--", "--help")).helpAsked()).isFalse();
    }
}
