package dev.vfiokit.tests;

import java.nio.file.Files;
import java.nio.file.Path;

/** Where the repository and the built jar are, for tests that run vfiokit as a user would. */
final class Repo {
    private Repo() {
    }

    static Path root() {
        String p = System.getProperty("vfiokit.repo");
        return (p == null ? Path.of("..") : Path.of(p)).toAbsolutePath().normalize();
    }

    static Path jar() {
        Path jar = root().resolve("shell/target/vfiokit-exec.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: run the tests with 'mvn verify' so shell/ is packaged first");
        }
        return jar;
    }

    static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
