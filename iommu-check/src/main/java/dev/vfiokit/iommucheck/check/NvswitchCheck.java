package dev.vfiokit.iommucheck.check;

import dev.vfiokit.iommucheck.host.HostSnapshot;
import dev.vfiokit.iommucheck.host.PciDevice;

import java.util.ArrayList;
import java.util.List;

/**
 * An HGX board's NVSwitches and the Fabric Manager mode that decides what may be passed (NVIDIA's Fabric Manager user
 * guide, and the GPU operator's reading of FABRIC_MODE): 0 or no Fabric Manager on the host is full passthrough (the
 * switches go with the GPUs to one guest, which runs Fabric Manager), 1 shared NVSwitch (Fabric Manager keeps the
 * switches; a guest gets the GPUs of one partition), 2 vGPU multitenancy (SR-IOV vGPU over NVLink).
 */
public final class NvswitchCheck implements Check {
    /** Fabric Manager's partitions on an 8-GPU baseboard hold 8, 4, 2 or 1 GPUs. */
    public static boolean partitionSize(int gpus) {
        return gpus == 1 || gpus == 2 || gpus == 4 || gpus == 8;
    }

    public static String modeName(Integer mode) {
        if (mode == null) {
            return "no Fabric Manager on the host (full passthrough)";
        }
        return switch (mode) {
            case 0 -> "Fabric Manager mode 0 (bare metal or full passthrough)";
            case 1 -> "Fabric Manager mode 1 (shared NVSwitch)";
            case 2 -> "Fabric Manager mode 2 (vGPU multitenancy)";
            default -> "Fabric Manager mode " + mode + " (unknown)";
        };
    }

    @Override
    public List<Finding> run(HostSnapshot host, List<PciDevice> targets) {
        List<PciDevice> switches = host.nvswitches();
        if (switches.isEmpty()) {
            return List.of();
        }
        long gpus = host.gpus().stream().filter(g -> g.vendorId() == 0x10de && !g.isVirtualFunction()).count();
        Integer mode = host.fabricManagerMode();
        List<String> ev = new ArrayList<>();
        switches.forEach(s -> ev.add("NVSwitch " + s.address() + " (driver " + (s.driver() == null ? "none" : s.driver()) + ")"));
        ev.add(modeName(mode) + (mode == null ? "" : ", /usr/share/nvidia/nvswitch/fabricmanager.cfg"));
        String board = "NVSwitch board: " + gpus + " NVIDIA GPUs, " + switches.size() + " NVSwitches, " + modeName(mode);
        String rule = mode != null && mode == 1
                ? ": a guest gets the GPUs of one Fabric Manager partition (1, 2, 4 or 8; fmpm -l lists them), never a switch"
                : mode != null && mode == 2 ? ": vGPUs over NVLink, Fabric Manager on the host; the switches stay with it"
                : ": a guest that is to use NVLink gets the GPUs with all the NVSwitches (its own Fabric Manager drives them)";
        return List.of(Finding.pass("board.nvswitch", "host", board + rule, ev));
    }
}
