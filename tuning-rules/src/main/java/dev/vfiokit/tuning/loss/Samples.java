package dev.vfiokit.tuning.loss;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** The wall times of the measured runs on one side (host or guest), in seconds, in the order they ran. */
public record Samples(List<Double> seconds) {
    public Samples {
        seconds = List.copyOf(seconds);
        if (seconds.isEmpty()) {
            throw new IllegalArgumentException("no samples");
        }
    }

    public double median() {
        List<Double> s = sorted();
        int n = s.size();
        return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
    }

    public double min() {
        return sorted().get(0);
    }

    public double max() {
        return sorted().get(seconds.size() - 1);
    }

    /** (max − min) / median, in percent: how far apart the runs of this side were. */
    public double spreadPercent() {
        double m = median();
        return m > 0 ? (max() - min()) / m * 100 : 0;
    }

    private List<Double> sorted() {
        List<Double> s = new ArrayList<>(seconds);
        Collections.sort(s);
        return s;
    }
}
