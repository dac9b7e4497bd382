package dev.vfiokit.tuning;

import java.util.List;

/**
 * A tuned domain: the original and tuned XML (both normalised), each rule's outcome, the host devices the domain
 * would take from the host (the same policy as check and bind), and the tuned document itself (for a caller that
 * reads it on, as provisioning's ledger does, without parsing the text again). The original is null where the
 * domain was tuned only to be defined ({@link Tuner#tuneToDefine}).
 */
public record TuningResult(String profile, String originalXml, String tunedXml, List<RuleOutcome> outcomes,
                           List<String> hostDevicesPassed, org.w3c.dom.Element tunedDomain) {
    public TuningResult {
        outcomes = List.copyOf(outcomes);
        hostDevicesPassed = List.copyOf(hostDevicesPassed);
    }

    /** The domain passes a device the host runs on (its default-route NIC, a storage or USB controller): a FAIL. */
    public boolean passesHostDevices() {
        return !hostDevicesPassed.isEmpty();
    }

    /** The unified diff, made when asked: a batch that only defines the result never pays for it. */
    public String diff() {
        requireOriginal();
        return UnifiedDiff.of(originalXml, tunedXml, "original", "tuned (" + profile + ")");
    }

    public boolean changed() {
        requireOriginal();
        return !originalXml.equals(tunedXml);
    }

    private void requireOriginal() {
        if (originalXml == null) {
            throw new IllegalStateException("tuned to be defined: the original was not kept, so there is no diff");
        }
    }
}
