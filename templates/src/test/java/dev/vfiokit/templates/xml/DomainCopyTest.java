package dev.vfiokit.templates.xml;

import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;

import javax.xml.parsers.DocumentBuilderFactory;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.HashSet;

import static org.assertj.core.api.Assertions.assertThat;

class DomainCopyTest {
    /**
     * A domain with every field of every model class reachable from it set (strings, numbers, the first enum
     * constant, one element in every list, a DOM element where the model keeps unmodelled ones): a copy of it shows
     * any field the copy misses.
     */
    private static Object filled(Class<?> c, Set<Class<?>> path, Document doc) throws Exception {
        Object o = c.getDeclaredConstructor().newInstance();
        if (!path.add(c)) {
            return o;
        }
        for (Class<?> k = c; k != Object.class; k = k.getSuperclass()) {
            for (Field f : k.getDeclaredFields()) {
                if (Modifier.isStatic(f.getModifiers())) {
                    continue;
                }
                f.setAccessible(true);
                f.set(o, value(f.getType(), f, path, doc, f.getName()));
            }
        }
        path.remove(c);
        return o;
    }

    private static Object value(Class<?> t, Field f, Set<Class<?>> path, Document doc, String name) throws Exception {
        if (t == String.class) {
            return "v-" + name;
        } else if (t == Integer.class || t == int.class) {
            return 7;
        } else if (t == Long.class || t == long.class) {
            return 9L;
        } else if (t == Boolean.class || t == boolean.class) {
            return true;
        } else if (t.isEnum()) {
            return t.getEnumConstants()[0];
        } else if (t == List.class) {
            Class<?> e = (Class<?>) ((ParameterizedType) f.getGenericType()).getActualTypeArguments()[0];
            List<Object> l = new ArrayList<>();
            l.add(value(e, null, path, doc, name));
            return l;
        } else if (org.w3c.dom.Element.class.isAssignableFrom(t)) {
            org.w3c.dom.Element x = doc.createElement("unmodelled");
            x.setAttribute("a", "b");
            x.appendChild(doc.createElement("inner"));
            return x;
        } else {
            return path.contains(t) ? null : filled(t, path, doc);
        }
    }

    private static Domain everyFieldSet() throws Exception {
        Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder().newDocument();
        return (Domain) filled(Domain.class, new HashSet<>(), doc);
    }

    /** Every object reachable from o through its fields and lists (strings and numbers left out), by identity. */
    private static Set<Object> objects(Object o, Set<Object> seen) throws Exception {
        if (o == null || o instanceof String || o instanceof Number || o instanceof Boolean || o instanceof Enum<?> || seen.contains(o)) {
            return seen;
        }
        seen.add(o);
        if (o instanceof List<?> l) {
            for (Object e : l) {
                objects(e, seen);
            }
        } else if (o.getClass().getPackage() == Domain.class.getPackage()) {
            for (Field f : o.getClass().getDeclaredFields()) {
                if (!Modifier.isStatic(f.getModifiers()) && !f.getType().isPrimitive()) {
                    f.setAccessible(true);
                    objects(f.get(o), seen);
                }
            }
        }
        return seen;
    }

    @Test
    void aCopyWritesAsTheOriginalWithEveryFieldOfEveryModelClassSet() throws Exception {
        Domain d = everyFieldSet();
        String original = DomainXml.write(d);
        assertThat(original).contains("<unmodelled a=\"b\">", "v-uuid");
        assertThat(DomainXml.write(DomainCopy.of(d))).isEqualTo(original);
    }

    @Test
    void aCopySharesNoChangeableObjectWithTheOriginal() throws Exception {
        Domain d = everyFieldSet();
        Domain copy = DomainCopy.of(d);
        Set<Object> a = objects(d, java.util.Collections.newSetFromMap(new IdentityHashMap<>()));
        Set<Object> b = objects(copy, java.util.Collections.newSetFromMap(new IdentityHashMap<>()));
        assertThat(a).hasSizeGreaterThan(60);
        assertThat(b).hasSameSizeAs(a).doesNotContainAnyElementsOf(a);
    }

    @Test
    void changingACopyLeavesTheOriginalAsItWas() throws Exception {
        Domain d = DomainXml.read("""
                <domain type="kvm"><name>a</name><memory unit="KiB">1024</memory>
                  <cpu mode="host-passthrough"/><metadata><x:y xmlns:x="urn:x" k="v"/></metadata>
                  <devices><interface type="network"><source network="default"/></interface></devices></domain>""");
        String before = DomainXml.write(d);
        Domain c = DomainCopy.of(d);
        c.name = "b";
        c.cpu.mode = "maximum";
        c.devices.interfaces.get(0).source.network = "other";
        c.devices.interfaces.add(new Interface());
        c.other.get(0).setAttribute("changed", "yes");
        ((org.w3c.dom.Element) c.other.get(0).getFirstChild()).setAttribute("k", "w");
        c.memory.value = 2048;
        assertThat(DomainXml.write(d)).isEqualTo(before);
        assertThat(DomainXml.write(c)).contains("<name>b</name>", "maximum", "other", "k=\"w\"", "2048");
    }
}
