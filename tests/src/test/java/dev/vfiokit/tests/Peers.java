package dev.vfiokit.tests;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Real-world input: what virt-install writes for a new guest (Debian's virtinst, against qemu:///system),
 * with PCI hostdevs added through virt-install's own --xml editing (its --hostdev wants the device on this host).
 */
final class Peers {
    private Peers() {
    }

    static String virtInstall(String name, String osinfo, int vcpus, int memoryMiB, String... hostdevFunctionsOnBus41) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("virt-install", "--print-xml", "--dry-run", "--connect", "qemu:///system",
                "--name", name, "--memory", String.valueOf(memoryMiB), "--vcpus", String.valueOf(vcpus), "--osinfo", osinfo,
                "--disk", "none", "--import", "--network", "network=default"));
        int i = 1;
        for (String fn : hostdevFunctionsOnBus41) {
            String h = "./devices/hostdev[" + i + "]";
            cmd.addAll(List.of("--xml", "xpath.create=" + h, "--xml", h + "/@mode=subsystem", "--xml", h + "/@type=pci",
                    "--xml", h + "/@managed=yes", "--xml", h + "/source/address/@domain=0x0000", "--xml", h + "/source/address/@bus=0x41",
                    "--xml", h + "/source/address/@slot=0x00", "--xml", h + "/source/address/@function=" + fn));
            i++;
        }
        Process p = new ProcessBuilder(cmd).start();
        String out = new String(p.getInputStream().readAllBytes());
        String err = new String(p.getErrorStream().readAllBytes());
        if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException("virt-install failed: " + err);
        }
        return out;
    }
}
