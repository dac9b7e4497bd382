package dev.vfiokit.shell;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.core.ConsoleAppender;
import dev.vfiokit.shell.cli.CommandCatalog;
import dev.vfiokit.shell.cli.CommandSpec;
import org.junit.jupiter.api.Test;
import org.springframework.context.annotation.ClassPathScanningCandidateComponentProvider;
import org.springframework.context.annotation.Import;
import org.springframework.context.support.GenericApplicationContext;
import org.springframework.core.type.filter.AnnotationTypeFilter;
import org.springframework.stereotype.Component;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CommandBeansTest {

    @Test
    void everyComponentOfTheShellIsInTheOneListOrThePromptsOwn() {
        // no class path scan at start-up any more: a @Component left out of the lists would silently be missing
        ClassPathScanningCandidateComponentProvider scan = new ClassPathScanningCandidateComponentProvider(false);
        scan.addIncludeFilter(new AnnotationTypeFilter(Component.class));
        Set<String> components = scan.findCandidateComponents("dev.vfiokit").stream()
                .map(d -> d.getBeanClassName()).collect(Collectors.toSet());
        Set<String> listed = new HashSet<>(Set.of(VfiokitApplication.class.getName()));
        CommandBeans.classes().forEach(c -> listed.add(c.getName()));
        for (Class<?> c : VfiokitApplication.class.getAnnotation(Import.class).value()) {
            listed.add(c.getName());
        }
        assertThat(components).isNotEmpty().containsAll(List.of(CheckCommands.class.getName(), Completions.class.getName()));
        assertThat(listed).containsAll(components);
    }

    @Test
    void oneShotBeansMakeEveryCommandBeanByItsConstructorWithoutSpring() {
        OneShotBeans beans = OneShotBeans.commands();
        CommandCatalog catalog = beans.catalog();
        assertThat(catalog.all()).extracting(CommandSpec::name).contains("check", "groups", "provision plan", "template list", "help");
        for (CommandSpec s : catalog.all()) {
            assertThat(beans.of(s.beanName())).isInstanceOf(s.method().getDeclaringClass());
        }
        // one of each: the commands share the host selection and libvirt targets they were made with
        assertThat(beans.get(HostSelection.class)).isSameAs(beans.get(HostSelection.class));
        assertThat(beans.get(VfiokitRunner.class).execute(List.of("template", "list")).output()).contains("gpu-compute");
    }

    @Test
    void oneShotBeansListTheSameCommandsAsTheSpringContextOfTheSameClasses() {
        try (GenericApplicationContext ctx = new GenericApplicationContext()) {
            CommandBeans.classes().forEach(c -> ctx.registerBean(c.getName(), c, bd -> bd.setLazyInit(true)));
            ctx.refresh();
            assertThat(OneShotBeans.commands().catalog().all()).extracting(s -> s.name() + " " + s.beanName())
                    .containsExactlyElementsOf(CommandCatalog.fromBeans(ctx.getBeanFactory(), "dev.vfiokit.").all().stream()
                            .map(s -> s.name() + " " + s.beanName()).toList());
        }
    }

    @Test
    void aOneShotRunnerRefusesThePromptInsteadOfStartingOne() {
        assertThatThrownBy(() -> OneShotBeans.commands().get(VfiokitRunner.class).run(List.of()))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("prompt starts under Spring Boot");
    }

    @Test
    void aClassOutsideTheListIsRefusedByName() {
        assertThatThrownBy(() -> OneShotBeans.commands().get(InteractivePrompt.class))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("InteractivePrompt is not one of the command beans");
    }

    @Test
    void loggingIsErrorsOnlyOnStderrOneLineEach() {
        LoggerContext context = new LoggerContext();
        new QuietLogging().configure(context);
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        assertThat(root.getLevel()).isEqualTo(Level.ERROR);
        assertThat(context.getLogger("org.springframework").isInfoEnabled()).isFalse();
        ConsoleAppender<?> console = (ConsoleAppender<?>) root.iteratorForAppenders().next();
        assertThat(console.getTarget()).isEqualTo("System.err");
        assertThat(console.isStarted()).isTrue();
    }
}
