package dev.vfiokit.shell.cli;

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.shell.core.command.annotation.Command;
import org.springframework.shell.core.command.annotation.Option;
import org.springframework.util.ClassUtils;

import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Every vfiokit command, read once from the {@code @Command} methods of the application's beans (by bean type: no
 * bean is created to list them, and no class path is scanned). Spring Shell 4 binds one value per option and
 * prints a method's result with exit status 0; vfiokit binds, runs and reports its commands itself, so only these
 * declarations are Spring Shell's.
 */
public final class CommandCatalog {
    private static final java.util.Set<Class<?>> SUPPORTED = java.util.Set.of(String.class, String[].class,
            boolean.class, Boolean.class, int.class, Integer.class, long.class, Long.class);
    /**
     * Each command's spec, made when first asked for: its options are read from its parameters' annotations, which
     * cost a one-shot command ~25 ms for all 47 commands when it runs one.
     */
    private final TreeMap<String, java.util.function.Supplier<CommandSpec>> byName = new TreeMap<>();

    private CommandCatalog(Collection<CommandSpec> specs) {
        for (CommandSpec s : specs) {
            add(s.name(), () -> s);
        }
    }

    private CommandCatalog() {
    }

    private void add(String name, java.util.function.Supplier<CommandSpec> spec) {
        if (byName.put(name, spec) != null) {
            throw new IllegalStateException("two commands named '" + name + "'");
        }
    }

    public static CommandCatalog of(Collection<CommandSpec> specs) {
        return new CommandCatalog(specs);
    }

    private static java.util.function.Supplier<CommandSpec> once(java.util.function.Supplier<CommandSpec> spec) {
        CommandSpec[] made = new CommandSpec[1];
        return () -> {
            synchronized (made) {
                if (made[0] == null) {
                    made[0] = spec.get();
                }
                return made[0];
            }
        };
    }

    /** The commands of the beans whose classes live in {@code packagePrefix} (the application's own). */
    public static CommandCatalog fromBeans(ListableBeanFactory beans, String packagePrefix) {
        CommandCatalog catalog = new CommandCatalog();
        for (String bean : beans.getBeanDefinitionNames()) {
            Class<?> type = beans.getType(bean, false);
            if (type != null && type.getName().startsWith(packagePrefix)) {
                catalog.addCommands(bean, ClassUtils.getUserClass(type));
            }
        }
        return catalog;
    }

    /** The commands of these classes (each listed under its class name), for objects made without Spring. */
    public static CommandCatalog fromClasses(Collection<Class<?>> classes) {
        CommandCatalog catalog = new CommandCatalog();
        for (Class<?> type : classes) {
            catalog.addCommands(type.getName(), type);
        }
        return catalog;
    }

    private void addCommands(String bean, Class<?> type) {
        for (Method m : type.getMethods()) {
            // the annotation as written: Spring's merged-annotation search costs a one-shot command ~30 ms
            Command c = m.getAnnotation(Command.class);
            if (c != null) {
                add(name(m, c), once(() -> spec(bean, m, c)));
            }
        }
    }

    private static String name(Method m, Command c) {
        String name = Arrays.stream(c.name()).flatMap(n -> Arrays.stream(n.trim().split("\\s+")))
                .filter(n -> !n.isEmpty()).collect(Collectors.joining(" "));
        if (name.isEmpty()) {
            throw new IllegalStateException(m + ": @Command needs a name");
        }
        return name;
    }

    static CommandSpec spec(String bean, Method m, Command c) {
        String name = name(m, c);
        List<OptionSpec> options = new ArrayList<>();
        for (Parameter p : m.getParameters()) {
            Option o = p.getAnnotation(Option.class);
            if (o == null || o.longName().isEmpty()) {
                // parameter names are not kept in the class files: every parameter names its option
                throw new IllegalStateException(m + ": every parameter needs @Option(longName = ...)");
            }
            if (!SUPPORTED.contains(p.getType())) {
                throw new IllegalStateException(m + ": --" + o.longName() + " has type " + p.getType().getSimpleName()
                        + ", not one the command line binds (" + SUPPORTED.stream().map(Class::getSimpleName)
                        .collect(Collectors.joining(", ")) + ")");
            }
            CompletedWith values = p.getAnnotation(CompletedWith.class);
            options.add(new OptionSpec(o.longName(), o.shortName(), o.description(), o.required(), o.defaultValue(),
                    p.getType(), values == null ? null : values.value()));
        }
        return new CommandSpec(name, c.group(), c.description(), options, bean, m);
    }

    public Collection<CommandSpec> all() {
        return byName.values().stream().map(java.util.function.Supplier::get).toList();
    }

    public Optional<CommandSpec> named(String name) {
        return Optional.ofNullable(byName.get(name)).map(java.util.function.Supplier::get);
    }

    /** The command the leading words name (the longest match) and how many words its name takes. */
    public Optional<Match> find(List<String> words) {
        int best = 0;
        StringBuilder prefix = new StringBuilder();
        for (int i = 0; i < words.size() && !words.get(i).startsWith("-"); i++) {
            prefix.append(i == 0 ? "" : " ").append(words.get(i));
            if (byName.containsKey(prefix.toString())) {
                best = i + 1;
            }
        }
        return best == 0 ? Optional.empty() : Optional.of(new Match(byName.get(String.join(" ", words.subList(0, best))).get(), best));
    }

    public record Match(CommandSpec command, int nameWords) {
    }
}
