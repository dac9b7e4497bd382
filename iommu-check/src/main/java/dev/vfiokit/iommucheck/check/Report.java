package dev.vfiokit.iommucheck.check;

import java.util.List;

/** The findings of a pre-flight run, with the exit code they add up to. */
public record Report(String host, List<String> targets, List<Finding> findings) {

    public static final int EXIT_PASS = 0;
    public static final int EXIT_WARN = 1;
    public static final int EXIT_FAIL = 2;

    public Report {
        targets = List.copyOf(targets);
        findings = List.copyOf(findings);
    }

    public long count(Severity s) {
        return findings.stream().filter(f -> f.severity() == s).count();
    }

    /** 0 when nothing warns or fails, 1 with a WARN and no FAIL, 2 with any FAIL. */
    public int exitCode() {
        if (count(Severity.FAIL) > 0) {
            return EXIT_FAIL;
        }
        return count(Severity.WARN) > 0 ? EXIT_WARN : EXIT_PASS;
    }
}
