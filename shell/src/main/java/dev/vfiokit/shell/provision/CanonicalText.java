package dev.vfiokit.shell.provision;

import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One text for a value that is the same whenever the value is: records by their components, lists in order, sets and
 * maps sorted (their iteration order differs from run to run), strings length-prefixed so no two values run together.
 * Provisioning keys what it planned on it. A value it cannot write so (a class that is no record and has no value of
 * its own) is refused rather than written by identity, which would never match, or by a toString that says too little.
 */
final class CanonicalText {
    /** A value that has no canonical text. */
    static final class NotCanonical extends RuntimeException {
        NotCanonical(String what) {
            super(what + " has no canonical text");
        }
    }

    /** Each record class's components and accessors, looked up once: reflection a value at a time was most of a memoised plan's cost. */
    private static final ClassValue<Accessors> ACCESSORS = new ClassValue<>() {
        @Override
        protected Accessors computeValue(Class<?> type) {
            RecordComponent[] cs = type.getRecordComponents();
            java.lang.reflect.Method[] ms = new java.lang.reflect.Method[cs.length];
            for (int i = 0; i < cs.length; i++) {
                try {
                    ms[i] = cs[i].getAccessor();
                    ms[i].setAccessible(true);
                } catch (RuntimeException e) {
                    // not open to us: a value of it has no canonical text, said when one is written
                    ms[i] = null;
                }
            }
            return new Accessors(cs, ms);
        }
    };

    private record Accessors(RecordComponent[] components, java.lang.reflect.Method[] methods) {
    }

    private CanonicalText() {
    }

    static String of(Object value) {
        StringBuilder sb = new StringBuilder(256);
        write(value, sb);
        return sb.toString();
    }

    private static void write(Object v, StringBuilder sb) {
        if (v == null) {
            sb.append('~');
        } else if (v instanceof String s) {
            sb.append(s.length()).append('"').append(s);
        } else if (v instanceof Number || v instanceof Boolean || v instanceof Character || v instanceof Enum<?>) {
            sb.append(v.getClass().getSimpleName()).append(':').append(v).append(';');
        } else if (v instanceof java.nio.file.Path p) {
            write(p.toString(), sb);
        } else if (v instanceof java.util.regex.Pattern p) {
            sb.append("re").append(p.flags());
            write(p.pattern(), sb);
        } else if (v instanceof dev.vfiokit.iommucheck.host.VariantDrivers d) {
            sb.append("variants");
            write(d.aliases(), sb);
        } else if (v instanceof dev.vfiokit.iommucheck.host.DeviceNodeUsers || v instanceof dev.vfiokit.iommucheck.host.MigInstances) {
            // read from the host when first asked, by checks and binds; planning never asks them, so they are no input
            sb.append(v.getClass().getSimpleName()).append(";");
        } else if (v instanceof Optional<?> o) {
            sb.append("opt(");
            write(o.orElse(null), sb);
            sb.append(')');
        } else if (v instanceof Record r) {
            sb.append(r.getClass().getName()).append('{');
            Accessors a = ACCESSORS.get(r.getClass());
            for (int i = 0; i < a.methods().length; i++) {
                try {
                    write(a.methods()[i].invoke(r), sb);
                } catch (ReflectiveOperationException | RuntimeException e) {
                    throw new NotCanonical(r.getClass().getName() + "." + a.components()[i].getName());
                }
                sb.append(',');
            }
            sb.append('}');
        } else if (v instanceof List<?> l) {
            sb.append('[');
            for (Object o : l) {
                write(o, sb);
                sb.append(',');
            }
            sb.append(']');
        } else if (v instanceof Set<?> s) {
            sb.append("set").append(sorted(s));
        } else if (v instanceof Map<?, ?> m) {
            List<String> entries = new ArrayList<>(m.size());
            m.forEach((k, x) -> entries.add(of(k) + "=" + of(x)));
            entries.sort(null);
            sb.append("map").append(entries);
        } else if (v instanceof Collection<?> c) {
            sb.append("bag").append(sorted(c));
        } else {
            throw new NotCanonical(v.getClass().getName());
        }
    }

    private static List<String> sorted(Collection<?> c) {
        List<String> out = new ArrayList<>(c.size());
        c.forEach(o -> out.add(of(o)));
        out.sort(null);
        return out;
    }
}
