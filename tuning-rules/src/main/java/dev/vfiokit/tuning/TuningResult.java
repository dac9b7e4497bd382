package dev.vfiokit.tuning;

import java.util.List;

/**
 * A tuned domain: the original and tuned XML (both normalised), each rule's outcome, the unified diff, and the
 * host devices the domain would take from the host (the same policy as check and bind).
 */
public record TuningResult(String profile, String originalXml, String tunedXml, List<RuleOutcome> outcomes, String diff,
                           List<String> hostDevicesPassed) {
    public TuningResult {
        outcomes = List.copyOf(outcomes);
        hostDevicesPassed = List.copyOf(hostDevicesPassed);
    }

    /** The domain passes a device the host runs on (its default-route NIC, a storage or USB controller): a FAIL. */
    public boolean passesHostDevices() {
        return !hostDevicesPassed.isEmpty();
    }

    public boolean changed() {
        return !originalXml.equals(tunedXml);
    }
}
