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
        if (host.cpu().isArm64()) {
            return arm64(host);
        }
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

    /** arm64 has no vmx/svm flag: KVM needs the kernel booted at EL2 (VHE or nVHE), and /dev/kvm says it was. */
    private static List<Finding> arm64(HostSnapshot host) {
        List<String> ev = List.of("cpu: arm64, " + host.cpu().vendor() + " " + host.cpu().model(),
                "/dev/kvm " + (host.kvmDevice() ? "exists" : "does not exist"));
        if (host.kvmDevice()) {
            return List.of(Finding.pass("cpu.virtualization", "host", "arm64: the kernel runs KVM at EL2 (no vmx/svm flags on "
                    + "arm64; /dev/kvm tells)", ev), Finding.pass("kvm.device", "host", "/dev/kvm is present", List.of("/dev/kvm exists")));
        }
        return List.of(new Finding("cpu.virtualization", Severity.FAIL, "host", "arm64 without /dev/kvm: the kernel did not "
                        + "start at EL2, or KVM is off", "boot the kernel at EL2 (firmware); dmesg shows 'kvm [1]: Hyp mode "
                        + "initialized' or why not; kvm-arm.mode=none on the command line turns KVM off", ev),
                new Finding("kvm.device", Severity.FAIL, "host", "/dev/kvm is missing: VMs would run emulated (TCG)",
                        "see cpu.virtualization: KVM is built into arm64 kernels, there is no module to load", ev));
    }
}
