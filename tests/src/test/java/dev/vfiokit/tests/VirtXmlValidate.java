package dev.vfiokit.tests;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** libvirt's own schema check, {@code virt-xml-validate FILE KIND} (libvirt-clients). */
final class VirtXmlValidate {
    private VirtXmlValidate() {
    }

    /** Returns null when the document validates, else virt-xml-validate's output. */
    static String problems(String xml, String kind) throws Exception {
        Path f = Files.createTempFile("vfiokit-validate", ".xml");
        try {
            Files.writeString(f, xml);
            Process p = new ProcessBuilder("virt-xml-validate", f.toString(), kind).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return "virt-xml-validate timed out";
            }
            return p.exitValue() == 0 ? null : out;
        } finally {
            Files.deleteIfExists(f);
        }
    }
}
