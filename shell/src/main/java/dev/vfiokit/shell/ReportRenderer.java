package dev.vfiokit.shell;

import dev.vfiokit.iommucheck.check.Finding;
import dev.vfiokit.iommucheck.check.Report;
import dev.vfiokit.iommucheck.check.Severity;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The pre-flight report as a table (with fixes under each row) or as the documented JSON shape. */
final class ReportRenderer {
    private ReportRenderer() {
    }

    static String text(Report r, Ansi ansi) {
        TextTable t = new TextTable("SEVERITY", "CHECK", "SUBJECT", "MESSAGE");
        StringBuilder sb = new StringBuilder();
        sb.append("vfiokit pre-flight check of host ").append(r.host())
                .append(r.targets().isEmpty() ? " (no GPU found: host checks only)" : ", targets: " + String.join(" ", r.targets()))
                .append("\n\n");
        for (Finding f : r.findings()) {
            t.styledRow(s -> colour(f.severity(), s, ansi), f.severity().name(), f.id(), f.subject(), f.message());
        }
        String[] lines = t.render().split("\n");
        sb.append(ansi.bold(lines[0])).append('\n');
        for (int i = 1; i < lines.length; i++) {
            sb.append(lines[i]).append('\n');
            Finding f = r.findings().get(i - 1);
            if (!f.hint().isEmpty() && f.severity() != Severity.PASS) {
                sb.append("      ").append(ansi.dim("fix: " + f.hint())).append('\n');
            }
        }
        sb.append('\n').append(summary(r)).append('\n');
        return sb.toString();
    }

    private static String colour(Severity s, String text, Ansi ansi) {
        return switch (s) {
            case PASS -> ansi.green(text);
            case WARN -> ansi.yellow(text);
            case FAIL -> ansi.red(text);
            case SKIP -> ansi.dim(text);
        };
    }

    static String summary(Report r) {
        return r.count(Severity.PASS) + " passed, " + r.count(Severity.WARN) + " warnings, " + r.count(Severity.FAIL)
                + " failed, " + r.count(Severity.SKIP) + " skipped (exit " + r.exitCode() + ")";
    }

    static Map<String, Object> json(Report r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("host", r.host());
        m.put("targets", r.targets());
        Map<String, Object> summary = new LinkedHashMap<>();
        for (Severity s : List.of(Severity.PASS, Severity.WARN, Severity.FAIL, Severity.SKIP)) {
            summary.put(s.name().toLowerCase(), r.count(s));
        }
        m.put("summary", summary);
        m.put("exitCode", r.exitCode());
        m.put("findings", r.findings().stream().map(f -> {
            Map<String, Object> fm = new LinkedHashMap<>();
            fm.put("id", f.id());
            fm.put("severity", f.severity().name());
            fm.put("subject", f.subject());
            fm.put("message", f.message());
            fm.put("hint", f.hint());
            fm.put("evidence", f.evidence());
            return fm;
        }).toList());
        return m;
    }
}
