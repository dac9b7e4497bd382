package dev.vfiokit.tuning.loss;

import java.util.List;

/**
 * One thing about the domain or the host that costs the guest time, with what fixes it: the tuning rule that does
 * ({@code rule}, null where no rule can: a degraded link is hardware) and a fix in words.
 *
 * @param concern  what it is about: emulation, cpu-pinning, cpu-model, memory, numa, storage, network, pcie-link,
 *                 emulated-devices, interrupts, timers
 * @param affects  the workloads it weighs on (cpu, memory, storage, network, device)
 * @param weight   high (tens of percent or more), medium, low (idle overhead, latency)
 */
public record LossCause(String concern, String finding, String rule, String fix, List<String> affects, String weight) {
    public LossCause {
        affects = List.copyOf(affects);
    }

    public boolean affects(String workload) {
        return affects.contains(workload) || workload.equals("command");
    }
}
