package dev.vfiokit.iommucheck.check;

import dev.vfiokit.iommucheck.host.HostSnapshot;
import dev.vfiokit.iommucheck.host.PciDevice;

import java.util.ArrayList;
import java.util.List;

/** vmx/svm in the CPU flags, and /dev/kvm present. */
public final class CpuVirtualizationCheck implements Check {
    @Override
    public List<Finding> run(HostSnapshot host, List<PciDevice> targets) {
        List<Finding> out = new ArrayList<>();
        String flag = host.cpu().isAmd() ? "svm" : "vmx";
        List<String> ev = List.of("cpu: " + host.cpu().vendor() + " " + host.cpu().model(),
                "flags " + (host.cpu().hasVirtualization() ? "include " + (host.cpu().flags().contains("svm") ? "svm" : "vmx")
                        : "lack vmx and svm"));
        if (host.cpu().hasVirtualization()) {
            out.add(Finding.pass("cpu.virtualization", "host", "CPU virtualization (" + flag + ") is on", ev));
        } else {
            out.add(new Finding("cpu.virtualization", Severity.FAIL, "host",
                    "CPU virtualization flag " + flag + " is missing",
                    host.cpu().isAmd() ? "enable SVM Mode in the firmware setup (CPU configuration)"
                            : "enable Intel Virtualization Technology (VT-x) in the firmware setup", ev));
        }
        if (host.kvmDevice()) {
            out.add(Finding.pass("kvm.device", "host", "/dev/kvm is present", List.of("/dev/kvm exists")));
        } else {
            String module = host.cpu().isAmd() ? "kvm_amd" : "kvm_intel";
            out.add(new Finding("kvm.device", Severity.FAIL, "host", "/dev/kvm is missing: VMs would run emulated (TCG)",
                    "modprobe " + module + " (and check that virtualization is enabled in firmware)",
                    List.of("/dev/kvm does not exist", module + (host.moduleLoaded(module) ? " loaded" : " not loaded"))));
        }
        return out;
    }
}
