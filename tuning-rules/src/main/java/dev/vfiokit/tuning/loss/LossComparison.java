package dev.vfiokit.tuning.loss;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Two measurements of one domain and workload side by side (before and after {@code tune}, say): how the loss and the
 * guest's time moved, which causes went away and which are left.
 */
public record LossComparison(LossMeasurement before, LossMeasurement after) {

    /** Refuses a comparison of different workloads: their times say nothing of each other. */
    public static LossComparison of(LossMeasurement before, LossMeasurement after) {
        if (!before.workload().name().equals(after.workload().name())
                || !before.workload().description().equals(after.workload().description())) {
            throw new IllegalArgumentException("the two results ran different workloads ('" + before.workload().description()
                    + "' and '" + after.workload().description() + "'): compare runs of the same workload");
        }
        return new LossComparison(before, after);
    }

    /** Percentage points the loss moved (negative: less loss after). */
    public double lossChange() {
        return after.lossPercent() - before.lossPercent();
    }

    /** The guest's median after, in percent of before (negative: faster). */
    public double guestChangePercent() {
        return (after.guest().median() / before.guest().median() - 1) * 100;
    }

    /** The host's median after, in percent of before: when it moved too, the machine changed between the runs. */
    public double hostChangePercent() {
        return (after.host().median() / before.host().median() - 1) * 100;
    }

    public List<LossCause> resolved() {
        Set<String> left = keys(after.causes());
        return before.causes().stream().filter(c -> !left.contains(key(c))).toList();
    }

    public List<LossCause> remaining() {
        Set<String> had = keys(before.causes());
        return after.causes().stream().filter(c -> had.contains(key(c))).toList();
    }

    public List<LossCause> added() {
        Set<String> had = keys(before.causes());
        return after.causes().stream().filter(c -> !had.contains(key(c))).toList();
    }

    private static Set<String> keys(List<LossCause> causes) {
        return causes.stream().map(LossComparison::key).collect(Collectors.toSet());
    }

    private static String key(LossCause c) {
        return c.concern() + "/" + (c.rule() == null ? c.finding() : c.rule());
    }
}
