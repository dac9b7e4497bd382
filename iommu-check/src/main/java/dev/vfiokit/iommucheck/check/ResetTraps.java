package dev.vfiokit.iommucheck.check;

import dev.vfiokit.iommucheck.host.PciDevice;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** Models with known reset or power trouble, as data with a source per entry (reset-traps.txt). */
final class ResetTraps {
    /** One entry of reset-traps.txt. */
    record Trap(String model, String trouble, String workaround, String source) {
    }

    private static final Map<String, Trap> BY_ID = load();

    private ResetTraps() {
    }

    private static Map<String, Trap> load() {
        Map<String, Trap> out = new HashMap<>();
        try (InputStream in = ResetTraps.class.getResourceAsStream("/dev/vfiokit/iommucheck/reset-traps.txt")) {
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] f = line.split("\\|");
                if (f.length != 5) {
                    throw new IllegalStateException("reset-traps.txt: a line needs 5 fields: " + line);
                }
                out.put(f[0].strip().toLowerCase(), new Trap(f[1].strip(), f[2].strip(), f[3].strip(), f[4].strip()));
            }
        } catch (IOException | NullPointerException e) {
            throw new IllegalStateException("reset-traps.txt is missing from the build", e);
        }
        return Map.copyOf(out);
    }

    static Optional<Trap> of(PciDevice d) {
        return Optional.ofNullable(BY_ID.get(d.ids()));
    }
}
