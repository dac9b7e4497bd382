package dev.vfiokit.templates.xml;

import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;

/**
 * A deep copy of a domain model: every object of this package made anew, lists anew, DOM elements (what the model
 * keeps unmodelled) cloned; strings, numbers and enums shared, as they cannot change. Generation changes the domain it
 * reads from a template, so a skeleton read once is copied for each domain rather than read again (a copy costs a
 * fraction of a JAXB read). A field of any other type is refused when its class is first copied, so a model class that
 * grows one cannot be copied half.
 */
public final class DomainCopy {
    private DomainCopy() {
    }

    public static Domain of(Domain d) {
        return (Domain) copy(d);
    }

    /** How one model class is copied: its constructor and its fields, read once per class. */
    private record Shape(Constructor<?> make, Field[] fields) {
    }

    private static final ClassValue<Shape> SHAPES = new ClassValue<>() {
        @Override
        protected Shape computeValue(Class<?> c) {
            if (c.getPackage() != Domain.class.getPackage()) {
                throw new IllegalStateException("not a domain model class: " + c.getName());
            }
            List<Field> fields = new ArrayList<>();
            for (Class<?> k = c; k != Object.class; k = k.getSuperclass()) {
                for (Field f : k.getDeclaredFields()) {
                    if (Modifier.isStatic(f.getModifiers())) {
                        continue;
                    }
                    if (Modifier.isFinal(f.getModifiers()) || !copyable(f.getType())) {
                        throw new IllegalStateException("cannot copy " + c.getSimpleName() + "." + f.getName() + " (" + f.getType().getName() + ")");
                    }
                    f.setAccessible(true);
                    fields.add(f);
                }
            }
            try {
                Constructor<?> make = c.getDeclaredConstructor();
                make.setAccessible(true);
                return new Shape(make, fields.toArray(Field[]::new));
            } catch (NoSuchMethodException e) {
                throw new IllegalStateException(c.getSimpleName() + " has no constructor without arguments", e);
            }
        }
    };

    private static boolean copyable(Class<?> t) {
        return t.isPrimitive() || immutable(t) || t == List.class || org.w3c.dom.Node.class.isAssignableFrom(t)
                || t.getPackage() == Domain.class.getPackage();
    }

    private static boolean immutable(Class<?> t) {
        return t == String.class || t == Integer.class || t == Long.class || t == Boolean.class || t.isEnum();
    }

    private static Object copy(Object o) {
        if (o == null || immutable(o.getClass())) {
            return o;
        }
        if (o instanceof List<?> list) {
            List<Object> out = new ArrayList<>(list.size());
            for (Object e : list) {
                out.add(copy(e));
            }
            return out;
        }
        if (o instanceof org.w3c.dom.Node n) {
            // a DOM is not safe for threads even to read: one clone of a document at a time
            synchronized (n.getOwnerDocument() == null ? n : n.getOwnerDocument()) {
                return n.cloneNode(true);
            }
        }
        Shape shape = SHAPES.get(o.getClass());
        try {
            Object out = shape.make().newInstance();
            for (Field f : shape.fields()) {
                if (f.getType().isPrimitive()) {
                    f.set(out, f.get(o));
                } else {
                    f.set(out, copy(f.get(o)));
                }
            }
            return out;
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot copy " + o.getClass().getSimpleName() + ": " + e.getMessage(), e);
        }
    }
}
