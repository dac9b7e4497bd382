package dev.vfiokit.vfio;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Every change is journaled in the state directory before it is made: the operation with the host's state
 * before it, then each step as it completes. A file written and synced ahead of the change is what lets undo
 * restore a host after a crash or a kill in the middle of a plan.
 */
public final class Journal {
    /**
     * The journal's format: 2 keeps a command step's words ({@link Step#command}); 1 (no field) kept its line only.
     * Entries of every format undo.
     */
    public static final int FORMAT = 2;

    /** Where a journaled operation stands; written as the words the journal has always used. */
    public enum Status {
        IN_PROGRESS("in-progress"), DONE("done"), ROLLED_BACK("rolled-back"), ROLLBACK_INCOMPLETE("rollback-incomplete"),
        UNDONE("undone"), UNDO_INCOMPLETE("undo-incomplete");

        private final String word;

        Status(String word) {
            this.word = word;
        }

        @com.fasterxml.jackson.annotation.JsonValue
        public String word() {
            return word;
        }

        @com.fasterxml.jackson.annotation.JsonCreator
        public static Status of(String word) {
            for (Status s : values()) {
                if (s.word.equals(word)) {
                    return s;
                }
            }
            throw new IllegalArgumentException("unknown journal status '" + word + "'");
        }

        @Override
        public String toString() {
            return word;
        }
    }

    /** One journaled operation, in the journal's {@code format}. */
    public record Entry(String id, String time, String root, Status status, int stepsDone, Operation operation, int format) {
    }

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    private final Path dir;
    /** The directories are checked (and made private) once per journal, not on every step's update. */
    private boolean prepared;

    public Journal(Path stateDir) {
        this.dir = stateDir.resolve("journal");
    }

    public Path dir() {
        return dir;
    }

    Entry begin(Operation op, String root) {
        String id = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss-SSS").withZone(ZoneOffset.UTC).format(Instant.now()) + "-" + op.kind().word();
        Entry e = new Entry(id, Instant.now().toString(), root, Status.IN_PROGRESS, 0, op, FORMAT);
        save(e);
        return e;
    }

    Entry update(Entry e, Status status, int stepsDone) {
        Entry n = new Entry(e.id(), e.time(), e.root(), status, stepsDone, e.operation(), FORMAT);
        save(n);
        return n;
    }

    private void save(Entry e) {
        try {
            if (!prepared) {
                PrivateFiles.directories(dir.getParent(), dir.getFileName().toString());
                prepared = true;
            }
            Path tmp = dir.resolve(e.id() + ".json.tmp");
            PrivateFiles.write(tmp, JSON.writeValueAsBytes(e), true);
            Files.move(tmp, dir.resolve(e.id() + ".json"), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException ex) {
            throw VfioFailure.refused("cannot write the journal in " + dir + ": " + ex.getMessage() + " (nothing was changed)");
        }
    }

    public List<Entry> entries() {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        List<Entry> out = new ArrayList<>();
        try (Stream<Path> s = Files.list(dir)) {
            for (Path p : s.filter(p -> p.toString().endsWith(".json")).sorted(Comparator.comparing(Path::toString)).toList()) {
                out.add(JSON.readValue(p.toFile(), Entry.class));
            }
        } catch (IOException ex) {
            throw VfioFailure.failed("cannot read the journal in " + dir + ": " + ex.getMessage());
        }
        return out;
    }

    public Optional<Entry> find(String id) {
        return entries().stream().filter(e -> e.id().equals(id)).findFirst();
    }

    /** The newest entry that changed the host and has not been undone. */
    public Optional<Entry> lastUndoable() {
        List<Entry> all = entries();
        for (int i = all.size() - 1; i >= 0; i--) {
            Entry e = all.get(i);
            if (e.status() == Status.DONE && e.stepsDone() > 0 || e.status() == Status.IN_PROGRESS) {
                return Optional.of(e);
            }
        }
        return Optional.empty();
    }
}
