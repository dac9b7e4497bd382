package dev.vfiokit.tuning.loss;

import java.util.List;

/**
 * One measurement: the same workload {@code host.size()} times on the host and in the guest (after {@code warmup}
 * unmeasured runs each, alternating sides so that drift of the machine weighs on both alike), with what vfiokit saw
 * of the domain and host at that time.
 *
 * @param domainType libvirt's domain type (kvm, qemu: TCG)
 * @param profile    the tuning profile the causes were found against
 */
public record LossMeasurement(String domain, String uri, String measuredAt, Workload workload, int warmup, Samples host,
                              Samples guest, DeviceKind kind, String domainType, String profile, List<LossCause> causes) {
    public LossMeasurement {
        causes = List.copyOf(causes);
    }

    /** How much longer the guest took than the host, in percent of the host's median (negative: the guest was faster). */
    public double lossPercent() {
        return (guest.median() / host.median() - 1) * 100;
    }

    /** The larger spread of the two sides: a loss smaller than this is not told apart from run-to-run variation. */
    public double noisePercent() {
        return Math.max(host.spreadPercent(), guest.spreadPercent());
    }

    public boolean emulated() {
        return domainType.equals("qemu");
    }

    /** within, above or below the device kind's band; not-comparable under TCG, where no band applies. */
    public String verdict() {
        if (emulated()) {
            return "not-comparable";
        }
        double loss = lossPercent();
        return loss > kind.bandHigh() ? "above" : loss < kind.bandLow() ? "below" : "within";
    }

    /** The verdict in a sentence. */
    public String verdictText() {
        String band = kind.word() + " band " + range();
        return switch (verdict()) {
            case "not-comparable" -> "not comparable with the " + band + ": the guest runs under TCG emulation";
            case "above" -> "above the " + band + (Math.abs(lossPercent()) <= noisePercent() ? ", but within the runs' spread: repeat with more runs" : "");
            case "below" -> "below the " + band + ": better than the reference";
            default -> "within the " + band;
        };
    }

    public String range() {
        return kind.bandLow() == 0 ? "(< " + fmt(kind.bandHigh()) + "%)" : "(" + fmt(kind.bandLow()) + "–" + fmt(kind.bandHigh()) + "%)";
    }

    private static String fmt(double d) {
        return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
    }
}
