package dev.vfiokit.shell.cli;

import java.lang.reflect.Array;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A command's words bound to its method's parameters, as admins type them: {@code --name value} or
 * {@code --name=value}; a flag alone or with {@code true}/{@code false}; an array option takes every word up to
 * the next option and may be repeated ({@code --vf a b --vf c}); words that belong to no option fill the
 * command's value options in their order ({@code template show gpu-workstation}); {@code --} ends the options.
 * Every mistake is a {@link UsageError} naming the option, never a guess.
 */
public record Invocation(CommandSpec command, Object[] arguments, boolean helpAsked) {

    public static Invocation bind(CommandSpec spec, List<String> words) {
        for (String w : words) {
            if (w.equals("--")) {
                break;
            }
            if (w.equals("--help") || w.equals("-h")) {
                // asked for help: the rest of the line may well be wrong, that is why
                return new Invocation(spec, new Object[0], true);
            }
        }
        Map<OptionSpec, List<String>> given = new LinkedHashMap<>();
        List<String> positional = new ArrayList<>();
        for (int i = 0; i < words.size(); i++) {
            String w = words.get(i);
            if (w.equals("--")) {
                positional.addAll(words.subList(i + 1, words.size()));
                break;
            }
            if (!isOptionWord(w)) {
                positional.add(w);
                continue;
            }
            String name = w;
            String inline = null;
            int eq = w.indexOf('=');
            if (w.startsWith("--") && eq > 2) {
                name = w.substring(0, eq);
                inline = w.substring(eq + 1);
            }
            String called = name;
            OptionSpec o = spec.option(name).orElseThrow(() -> new UsageError("unknown option '" + called + "' for '"
                    + spec.name() + "' (see: vfiokit help " + spec.name() + ")"));
            if (given.containsKey(o) && !o.multi()) {
                throw new UsageError("option '--" + o.longName() + "' given more than once");
            }
            List<String> values = given.computeIfAbsent(o, k -> new ArrayList<>());
            if (inline != null) {
                values.add(inline);
            } else if (o.flag()) {
                if (i + 1 < words.size() && isBooleanWord(words.get(i + 1))) {
                    values.add(words.get(++i));
                } else {
                    values.add("true");
                }
            } else if (o.multi()) {
                int before = values.size();
                while (i + 1 < words.size() && !isOptionWord(words.get(i + 1)) && !words.get(i + 1).equals("--")) {
                    values.add(words.get(++i));
                }
                if (values.size() == before) {
                    throw new UsageError("option '--" + o.longName() + "' needs a value");
                }
            } else {
                if (i + 1 >= words.size() || isOptionWord(words.get(i + 1))) {
                    throw new UsageError("option '--" + o.longName() + "' needs a value");
                }
                values.add(words.get(++i));
            }
        }
        fillFromPositional(spec, given, positional);
        Object[] args = new Object[spec.options().size()];
        for (int i = 0; i < args.length; i++) {
            OptionSpec o = spec.options().get(i);
            List<String> values = given.get(o);
            if (values == null) {
                if (o.required()) {
                    throw new UsageError("missing mandatory option '--" + o.longName() + "'"
                            + (o.description().isEmpty() ? "" : " (" + o.description() + ")"));
                }
                values = o.defaultValue().isEmpty() ? List.of() : List.of(o.defaultValue());
            }
            args[i] = convert(o, values);
        }
        return new Invocation(spec, args, false);
    }

    /** {@code --name} or {@code -n}; a negative number is a value. */
    static boolean isOptionWord(String w) {
        return w.length() >= 2 && w.charAt(0) == '-' && !Character.isDigit(w.charAt(1));
    }

    private static boolean isBooleanWord(String w) {
        return w.equalsIgnoreCase("true") || w.equalsIgnoreCase("false");
    }

    private static void fillFromPositional(CommandSpec spec, Map<OptionSpec, List<String>> given, List<String> positional) {
        int next = 0;
        for (OptionSpec o : spec.options()) {
            if (next >= positional.size()) {
                return;
            }
            if (o.flag() || given.containsKey(o)) {
                continue;
            }
            if (o.multi()) {
                given.put(o, new ArrayList<>(positional.subList(next, positional.size())));
                return;
            }
            given.put(o, List.of(positional.get(next++)));
        }
        if (next < positional.size()) {
            throw new UsageError("unexpected argument '" + positional.get(next) + "' for '" + spec.name()
                    + "' (see: vfiokit help " + spec.name() + ")");
        }
    }

    private static Object convert(OptionSpec o, List<String> values) {
        Class<?> t = o.type();
        if (t.isArray()) {
            Object array = Array.newInstance(t.getComponentType(), values.size());
            for (int i = 0; i < values.size(); i++) {
                Array.set(array, i, one(o, t.getComponentType(), values.get(i)));
            }
            return array;
        }
        if (values.isEmpty()) {
            return absent(t);
        }
        return one(o, t, values.get(0));
    }

    /** What a parameter gets for an option not given and without a default (separate returns: a ?: chain unboxes). */
    private static Object absent(Class<?> t) {
        if (t == boolean.class) {
            return Boolean.FALSE;
        }
        if (t == int.class) {
            return 0;
        }
        if (t == long.class) {
            return 0L;
        }
        return null;
    }

    private static Object one(OptionSpec o, Class<?> t, String v) {
        if (t == String.class) {
            return v;
        }
        if (t == boolean.class || t == Boolean.class) {
            if (!isBooleanWord(v)) {
                throw new UsageError("--" + o.longName() + ": '" + v + "' is not true or false (or leave the value out)");
            }
            return Boolean.parseBoolean(v.toLowerCase(Locale.ROOT));
        }
        try {
            if (t == int.class || t == Integer.class) {
                return Integer.parseInt(v);
            }
            if (t == long.class || t == Long.class) {
                return Long.parseLong(v);
            }
        } catch (NumberFormatException e) {
            throw new UsageError("--" + o.longName() + ": '" + v + "' is not a whole number");
        }
        throw new IllegalStateException("options of type " + t.getName() + " are not supported (--" + o.longName() + ")");
    }
}
