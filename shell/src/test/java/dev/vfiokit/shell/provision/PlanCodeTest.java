package dev.vfiokit.shell.provision;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;

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
    void codeThatCannotBeToldHasNoIdentity() throws Exception {
        assertThat(PlanCode.of(List.of(dir.resolve("missing.jar").toUri().toURL()))).isNull();
        assertThat(PlanCode.of(List.of(new URL("http://example.invalid/x.jar")))).isNull();
    }
}
