package dev.vfiokit.tests;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Boots the real kernel with an emulated IOMMU under QEMU (tests/vmhost/vfio-vm.sh) and runs a guest script
 * as root there. The guest sees the host's root read-only, so the built jar and the host's java run inside.
 */
final class VmHost {
    private VmHost() {
    }

    /** Runs {@code guestScript} (bash) in a VM with the given IOMMU ("intel" or "amd"); returns the guest's exit code. */
    static int run(String iommu, String guestScript, Path outDir) throws IOException, InterruptedException {
        return run(iommu, "debian", guestScript, outDir);
    }

    /** As {@link #run(String, String, Path)}, booting the kernel {@code kernel} names (vfio-vm.sh's VM_KERNEL). */
    static int run(String iommu, String kernel, String guestScript, Path outDir) throws IOException, InterruptedException {
        Files.createDirectories(outDir);
        Path script = outDir.resolve("guest.sh");
        Files.writeString(script, "#!/bin/bash\nexport PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin\n"
                + "JAR=" + Repo.jar() + "\nJAVA=\"" + Repo.java() + " -XX:TieredStopAtLevel=1 -Xss512k\"\n" + guestScript);
        ProcessBuilder pb = new ProcessBuilder(List.of("bash", Repo.root().resolve("tests/vmhost/vfio-vm.sh").toString(),
                script.toString(), outDir.toString()));
        pb.environment().put("VM_IOMMU", iommu);
        pb.environment().put("VM_KERNEL", kernel);
        pb.environment().put("VM_TIMEOUT", "900");
        pb.redirectErrorStream(true).redirectOutput(outDir.resolve("harness.log").toFile());
        Process p = pb.start();
        if (!p.waitFor(960, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("VM host did not finish in 960 s; see " + outDir);
        }
        return p.exitValue();
    }

    static String read(Path outDir, String file) throws IOException {
        Path p = outDir.resolve(file);
        if (!Files.exists(p)) {
            throw new IllegalStateException("the guest wrote no " + file + "; console: " + tail(outDir.resolve("console.log"))
                    + " harness: " + tail(outDir.resolve("harness.log")));
        }
        return Files.readString(p);
    }

    private static String tail(Path p) throws IOException {
        if (!Files.exists(p)) {
            return "(none)";
        }
        List<String> lines = Files.readAllLines(p);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size()));
    }
}
