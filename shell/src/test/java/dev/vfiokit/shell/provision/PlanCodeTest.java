package dev.vfiokit.shell.provision;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class PlanCodeTest {
    @TempDir
    Path dir;

    @Test
    void theIdentityOfThisProcesssPlanningCodeIsKnownAndTheSameEachTime() {
        assertThat(PlanCode.identity()).isNotNull().hasSize(64).isEqualTo(PlanCode.identity());
    }

    @Test
    void aRebuiltClassDirectoryOrJarIsOtherCode() throws Exception {
        Path classes = Files.createDirectories(dir.resolve("classes/dev/x"));
        Path cls = Files.writeString(classes.resolve("A.class"), "one");
        URL classesUrl = dir.resolve("classes").toUri().toURL();
        String before = PlanCode.of(List.of(classesUrl));
        assertThat(before).isNotNull().isEqualTo(PlanCode.of(List.of(classesUrl)));
        // recompiled: same bytes, a new time
        Files.setLastModifiedTime(cls, FileTime.fromMillis(Files.getLastModifiedTime(cls).toMillis() + 5000));
        assertThat(PlanCode.of(List.of(classesUrl))).isNotEqualTo(before);

        Path jar = Files.writeString(dir.resolve("templates.jar"), "jar one");
        URL jarUrl = jar.toUri().toURL();
        String jarBefore = PlanCode.of(List.of(jarUrl));
        FileTime t = Files.getLastModifiedTime(jar);
        Files.writeString(jar, "jar two");
        Files.setLastModifiedTime(jar, t);
        // a jar is told by its content, not its time (reproducible builds keep times)
        assertThat(PlanCode.of(List.of(jarUrl))).isNotEqualTo(jarBefore);
    }

    @Test
    void aJarIsToldByItsEntriesContentNotItsTimeOrOrder() throws Exception {
        URL a = jar(Map.of("dev/x/A.class", "one", "dev/x/B.class", "two"), 1000, false);
        String identity = PlanCode.of(List.of(a));
        assertThat(identity).isNotNull();
        // rebuilt with the same classes: another time, the entries in another order
        jar(Map.of("dev/x/B.class", "two", "dev/x/A.class", "one"), 99_000, true);
        assertThat(PlanCode.of(List.of(a))).isEqualTo(identity);
        jar(Map.of("dev/x/A.class", "One", "dev/x/B.class", "two"), 1000, false);
        assertThat(PlanCode.of(List.of(a))).isNotEqualTo(identity);
        jar(Map.of("dev/x/A.class", "one", "dev/x/B.class", "two", "dev/x/C.class", ""), 1000, false);
        assertThat(PlanCode.of(List.of(a))).isNotEqualTo(identity);
    }

    private URL jar(Map<String, String> entries, long time, boolean reversed) throws Exception {
        Path p = dir.resolve("module.jar");
        java.util.NavigableMap<String, String> sorted = new java.util.TreeMap<>(entries);
        try (java.util.zip.ZipOutputStream z = new java.util.zip.ZipOutputStream(Files.newOutputStream(p))) {
            for (Map.Entry<String, String> e : (reversed ? sorted.descendingMap() : sorted).entrySet()) {
                java.util.zip.ZipEntry entry = new java.util.zip.ZipEntry(e.getKey());
                entry.setTime(time);
                z.putNextEntry(entry);
                z.write(e.getValue().getBytes(java.nio.charset.StandardCharsets.UTF_8));
                z.closeEntry();
            }
        }
        return p.toUri().toURL();
    }

    @Test
    void codeThatCannotBeToldHasNoIdentity() throws Exception {
        assertThat(PlanCode.of(List.of(dir.resolve("missing.jar").toUri().toURL()))).isNull();
        assertThat(PlanCode.of(List.of(new URL("http://example.invalid/x.jar")))).isNull();
    }
}
