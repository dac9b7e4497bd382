package dev.vfiokit.tuning.loss;

/** One run of a workload as its timer reported it: the program's exit code, its wall time, the end of its stderr. */
public record TimedRun(int exitCode, double seconds, String errors) {

    /** Reads the timer's report; what is not one is an error that says what came back instead. */
    public static TimedRun parse(String output, String where) {
        String text = output == null ? "" : output;
        int at = text.indexOf("vfiokit-loss ");
        String[] head = at < 0 ? new String[0] : text.substring(at).lines().findFirst().orElse("").split(" ");
        if (head.length != 3 || !head[1].matches("\\d{1,3}") || !head[2].matches("\\d{1,19}")) {
            String seen = text.strip().lines().findFirst().orElse("nothing");
            throw new WorkloadFailed("the timed run on " + where + " reported no time (its date lacks %N nanoseconds, or "
                    + "/bin/sh is missing): " + (seen.length() > 120 ? seen.substring(0, 120) + "…" : seen));
        }
        String rest = text.substring(at).lines().skip(1).map(String::strip).filter(l -> !l.isEmpty())
                .reduce((a, b) -> a + "; " + b).orElse("");
        return new TimedRun(Integer.parseInt(head[1]), Long.parseLong(head[2]) / 1e9, rest);
    }
}
