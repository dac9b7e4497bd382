package dev.vfiokit.shell;

import dev.vfiokit.iommucheck.host.PciAddress;

import java.util.ArrayList;
import java.util.List;

/** PCI address lists as commands take them: repeated, comma- or space-separated, in any mix. */
final class Arguments {
    private Arguments() {
    }

    static List<PciAddress> addresses(String... values) {
        List<PciAddress> out = new ArrayList<>();
        if (values != null) {
            for (String v : values) {
                if (v == null) {
                    continue;
                }
                for (String a : v.split("[,\\s]+")) {
                    if (!a.isBlank()) {
                        out.add(PciAddress.parse(a));
                    }
                }
            }
        }
        return out;
    }
}
