package dev.vfiokit.tuning;

import java.util.Set;

/**
 * When a rule applies, over facts about the domain, the host and the profile: every fact in {@code all},
 * at least one in {@code any} (when given), none in {@code none}. Facts: pci-hostdev, gpu, nvidia-gpu, vf, mdev,
 * usb-hostdev, windows, linux, kvm, qemu, virtio-disk, virtio-net, pc-machine, and the profile's traits
 * (headless, desktop, latency).
 */
public record Condition(Set<String> all, Set<String> any, Set<String> none) {
    public Condition {
        all = Set.copyOf(all);
        any = Set.copyOf(any);
        none = Set.copyOf(none);
    }

    public boolean holds(Set<String> facts) {
        return facts.containsAll(all) && (any.isEmpty() || any.stream().anyMatch(facts::contains))
                && none.stream().noneMatch(facts::contains);
    }

    public String describe() {
        StringBuilder sb = new StringBuilder();
        if (!all.isEmpty()) {
            sb.append("all of ").append(String.join(", ", all.stream().sorted().toList()));
        }
        if (!any.isEmpty()) {
            sb.append(sb.length() > 0 ? "; " : "").append("any of ").append(String.join(", ", any.stream().sorted().toList()));
        }
        if (!none.isEmpty()) {
            sb.append(sb.length() > 0 ? "; " : "").append("none of ").append(String.join(", ", none.stream().sorted().toList()));
        }
        return sb.length() == 0 ? "always" : sb.toString();
    }
}
