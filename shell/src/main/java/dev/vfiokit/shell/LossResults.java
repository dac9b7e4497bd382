package dev.vfiokit.shell;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vfiokit.tuning.loss.DeviceKind;
import dev.vfiokit.tuning.loss.LossCause;
import dev.vfiokit.tuning.loss.LossComparison;
import dev.vfiokit.tuning.loss.LossMeasurement;
import dev.vfiokit.tuning.loss.Samples;
import dev.vfiokit.tuning.loss.Workload;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** Loss measurements as JSON: what {@code loss measure --json} prints and saves, and what {@code loss compare} reads. */
final class LossResults {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");

    private LossResults() {
    }

    /** Where results are kept unless {@code --save} says otherwise: the state directory's loss/. */
    static Path directory() {
        return StateDirs.state().resolve("loss");
    }

    static Path defaultFile(LossMeasurement m) {
        return directory().resolve(dev.vfiokit.shell.usecase.FileNames.encode(m.domain()) + "-" + m.workload().name() + "-"
                + LocalDateTime.now().format(STAMP) + ".json");
    }

    static Map<String, Object> toMap(LossMeasurement m) {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("domain", m.domain());
        o.put("uri", m.uri());
        o.put("measuredAt", m.measuredAt());
        Map<String, Object> w = new LinkedHashMap<>();
        w.put("name", m.workload().name());
        w.put("description", m.workload().description());
        w.put("command", m.workload().command());
        w.put("mebibytes", m.workload().mebibytes());
        w.put("unit", m.workload().unit());
        o.put("workload", w);
        o.put("warmup", m.warmup());
        o.put("repeat", m.host().seconds().size());
        o.put("host", side(m.host(), m.workload()));
        o.put("guest", side(m.guest(), m.workload()));
        o.put("lossPercent", round(m.lossPercent()));
        o.put("noisePercent", round(m.noisePercent()));
        o.put("kind", m.kind().word());
        o.put("band", Map.of("low", m.kind().bandLow(), "high", m.kind().bandHigh(), "text", m.kind().band()));
        o.put("verdict", m.verdict());
        o.put("verdictText", m.verdictText());
        o.put("domainType", m.domainType());
        o.put("profile", m.profile());
        o.put("causes", m.causes().stream().map(LossResults::cause).toList());
        return o;
    }

    private static Map<String, Object> side(Samples s, Workload w) {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("medianSeconds", s.median());
        o.put("minSeconds", s.min());
        o.put("maxSeconds", s.max());
        o.put("spreadPercent", round(s.spreadPercent()));
        if (w.mebibytes() > 0) {
            o.put("throughput", round(w.throughput(s.median())));
        }
        o.put("seconds", s.seconds());
        return o;
    }

    private static Map<String, Object> cause(LossCause c) {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("concern", c.concern());
        o.put("finding", c.finding());
        o.put("rule", c.rule());
        o.put("fix", c.fix());
        o.put("affects", c.affects());
        o.put("weight", c.weight());
        return o;
    }

    static double round(double d) {
        return Math.round(d * 100) / 100.0;
    }

    /** A file loss measure saved: only such a file is replaced by a later --save. */
    static final java.util.function.Predicate<String> SAVED = before -> before.stripLeading().startsWith("{")
            && before.contains("\"measuredAt\"") && before.contains("\"workload\"");

    /**
     * Writes the measurement: 0600 (never through a link) under the private state directory, or to the file named,
     * which must be new or a result saved before (see {@link CommandOutputFile}).
     */
    static Path save(LossMeasurement m, String to) {
        if (to != null) {
            CommandOutputFile.write(to, Json.write(toMap(m)) + "\n", SAVED);
            return Path.of(to);
        }
        Path p = defaultFile(m);
        try {
            dev.vfiokit.vfio.PrivateFiles.directory(p.getParent());
            dev.vfiokit.vfio.PrivateFiles.write(p, (Json.write(toMap(m)) + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8), false);
            return p;
        } catch (IOException | dev.vfiokit.vfio.VfioFailure e) {
            throw new CommandFailure(ExitStatus.IO, "cannot save the result to " + p + ": " + e.getMessage());
        }
    }

    /** A saved result: a path, or a file name in {@link #directory()}. */
    static Path locate(String name) {
        Path p = Path.of(name);
        if (Files.isRegularFile(p)) {
            return p;
        }
        Path saved = directory().resolve(name);
        if (!name.contains("/") && Files.isRegularFile(saved)) {
            return saved;
        }
        throw new CommandFailure(ExitStatus.DATA, "no loss result '" + name + "' (a file, or a name that vfiokit loss list shows)");
    }

    static LossMeasurement read(Path p) {
        JsonNode n;
        try {
            dev.vfiokit.iommucheck.input.InputFile.requireReadable(p, "loss result");
            n = JSON.readTree(p.toFile());
        } catch (IOException | dev.vfiokit.iommucheck.input.InputRejected e) {
            throw new CommandFailure(ExitStatus.DATA, "cannot read the loss result " + p + ": not JSON as vfiokit loss measure saves it");
        }
        try {
            JsonNode w = n.required("workload");
            List<String> command = new ArrayList<>();
            w.required("command").forEach(c -> command.add(c.asText()));
            List<LossCause> causes = new ArrayList<>();
            n.path("causes").forEach(c -> {
                List<String> affects = new ArrayList<>();
                c.path("affects").forEach(a -> affects.add(a.asText()));
                causes.add(new LossCause(c.required("concern").asText(), c.required("finding").asText(),
                        c.path("rule").isTextual() ? c.get("rule").asText() : null, c.path("fix").asText(""), affects, c.path("weight").asText("medium")));
            });
            return new LossMeasurement(n.required("domain").asText(), n.path("uri").asText(""), n.path("measuredAt").asText(""),
                    new Workload(w.required("name").asText(), w.required("description").asText(), command, w.path("mebibytes").asLong(0),
                            w.path("unit").asText("")), n.path("warmup").asInt(0), samples(n.required("host")), samples(n.required("guest")),
                    DeviceKind.of(n.required("kind").asText()), n.required("domainType").asText(), n.path("profile").asText(""), causes);
        } catch (IllegalArgumentException e) {
            throw new CommandFailure(ExitStatus.DATA, "cannot read the loss result " + p + ": " + e.getMessage());
        }
    }

    private static Samples samples(JsonNode side) {
        List<Double> s = new ArrayList<>();
        side.required("seconds").forEach(v -> s.add(v.asDouble()));
        return new Samples(s);
    }

    static Map<String, Object> toMap(LossComparison c, Path before, Path after) {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("domain", c.after().domain());
        o.put("workload", c.after().workload().description());
        o.put("before", brief(c.before(), before));
        o.put("after", brief(c.after(), after));
        o.put("lossChange", round(c.lossChange()));
        o.put("guestChangePercent", round(c.guestChangePercent()));
        o.put("hostChangePercent", round(c.hostChangePercent()));
        o.put("resolved", c.resolved().stream().map(LossResults::cause).toList());
        o.put("remaining", c.remaining().stream().map(LossResults::cause).toList());
        o.put("added", c.added().stream().map(LossResults::cause).toList());
        return o;
    }

    private static Map<String, Object> brief(LossMeasurement m, Path file) {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("file", file.toString());
        o.put("measuredAt", m.measuredAt());
        o.put("hostMedianSeconds", m.host().median());
        o.put("guestMedianSeconds", m.guest().median());
        o.put("lossPercent", round(m.lossPercent()));
        o.put("noisePercent", round(m.noisePercent()));
        o.put("verdict", m.verdict());
        return o;
    }

    /** The saved results by name: by domain, then workload, then time. */
    static List<Path> saved() {
        if (!Files.isDirectory(directory())) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(directory())) {
            return s.filter(p -> p.getFileName().toString().endsWith(".json")).sorted().toList();
        } catch (IOException e) {
            throw new CommandFailure(ExitStatus.IO, "cannot list " + directory() + ": " + e.getMessage());
        }
    }
}
