package dev.vfiokit.shell;

import dev.vfiokit.shell.cli.CommandCatalog;
import dev.vfiokit.shell.cli.CommandInstances;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The command beans of a one-shot command or a script ({@link CommandBeans#classes()}), each made by its constructor
 * when first asked for, with the others it names as arguments. Their wiring is constructor arguments and nothing
 * else, and Spring's context cost a one-shot command ~150 ms of its ~330 (class initialisation, bean definitions,
 * reflective instantiation) to do this. The prompt still runs under Spring Boot with the same classes.
 * <p>
 * A class is made with the public constructor whose parameters are all known here (the listed classes, the
 * {@link CommandCatalog}, these {@link CommandInstances}); a class with none, or with two, is refused by name.
 */
public final class OneShotBeans implements CommandInstances {
    private final Map<String, Class<?>> byName = new LinkedHashMap<>();
    private final Map<Class<?>, Object> made = new HashMap<>();
    private final Set<Class<?>> making = new HashSet<>();
    private final CommandCatalog catalog;

    public OneShotBeans(List<Class<?>> classes) {
        for (Class<?> c : classes) {
            byName.put(c.getName(), c);
        }
        this.catalog = CommandCatalog.fromClasses(classes);
    }

    /** The command beans every one-shot command and script is run with. */
    public static OneShotBeans commands() {
        return new OneShotBeans(CommandBeans.classes());
    }

    public CommandCatalog catalog() {
        return catalog;
    }

    @Override
    public Object of(String beanName) {
        Class<?> c = byName.get(beanName);
        if (c == null) {
            throw new IllegalStateException("no command bean named " + beanName);
        }
        return get(c);
    }

    public synchronized <T> T get(Class<T> type) {
        if (type == CommandCatalog.class) {
            return type.cast(catalog);
        }
        if (type == CommandInstances.class) {
            return type.cast(this);
        }
        Object done = made.get(type);
        if (done != null) {
            return type.cast(done);
        }
        if (!byName.containsKey(type.getName())) {
            throw new IllegalStateException(type.getName() + " is not one of the command beans (CommandBeans)");
        }
        if (!making.add(type)) {
            throw new IllegalStateException(type.getName() + " needs itself through its constructor's arguments");
        }
        try {
            Constructor<?> constructor = constructor(type);
            Class<?>[] params = constructor.getParameterTypes();
            Object[] args = new Object[params.length];
            for (int i = 0; i < params.length; i++) {
                args[i] = get(params[i]);
            }
            T bean = type.cast(constructor.newInstance(args));
            made.put(type, bean);
            return bean;
        } catch (InvocationTargetException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot make " + type.getName() + ": " + e, e);
        } finally {
            making.remove(type);
        }
    }

    private Constructor<?> constructor(Class<?> type) {
        List<Constructor<?>> fit = new ArrayList<>();
        for (Constructor<?> c : type.getConstructors()) {
            boolean known = true;
            for (Class<?> p : c.getParameterTypes()) {
                known &= p == CommandCatalog.class || p == CommandInstances.class || byName.containsKey(p.getName());
            }
            if (known) {
                fit.add(c);
            }
        }
        if (fit.size() != 1) {
            throw new IllegalStateException(type.getName() + " has " + fit.size()
                    + " public constructors taking only command beans; a one-shot command needs exactly one");
        }
        return fit.get(0);
    }
}
