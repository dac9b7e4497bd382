package dev.vfiokit.tuning;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** Golden files under src/test/resources/golden; -Dgolden.update=true rewrites them (then review the diff). */
final class Golden {
    private static final Path DIR = Path.of("src/test/resources/golden");

    private Golden() {
    }

    static void assertMatches(String name, String actual) throws IOException {
        Path file = DIR.resolve(name);
        if (Boolean.getBoolean("golden.update")) {
            Files.createDirectories(DIR);
            Files.writeString(file, actual);
        }
        assertThat(file).as("golden file " + file + " (create it with -Dgolden.update=true)").exists();
        assertThat(actual).isEqualTo(Files.readString(file));
    }
}
