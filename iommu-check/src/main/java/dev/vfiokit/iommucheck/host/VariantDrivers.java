package dev.vfiokit.iommucheck.host;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * VFIO variant drivers as the kernel lists them in modules.alias: {@code alias vfio_pci:v000015B3d0000101Esv*sd*bc*sc*i*
 * mlx5_vfio_pci}. A device gets the driver whose pattern matches its modalias with the fewest wildcard fields, as
 * libvirt's virPCIDeviceFindBestVFIOVariant chooses it (libvirt 10.0); the generic {@code vfio_pci} alias, where the
 * kernel lists one, loses to any specific match.
 */
public final class VariantDrivers {
    public static final VariantDrivers NONE = new VariantDrivers(List.of());
    private static final String PREFIX = "vfio_pci:";

    /** One alias line: its pattern (after vfio_pci:), the module, and the pattern compiled. */
    public record Alias(String pattern, String module, Pattern regex) {
        int wildcards() {
            return (int) pattern.chars().filter(c -> c == '*').count();
        }

        public String line() {
            return "alias " + PREFIX + pattern + " " + module;
        }
    }

    /** The driver a device would get and the alias line that chose it. */
    public record Choice(String module, String aliasLine) {
        /** The module as a driver name in sysfs and libvirt's {@code <driver model>}: mlx5_vfio_pci, vfio-pci. */
        public String driverName() {
            return module.equals("vfio_pci") ? PciDevice.VFIO_DRIVER : module;
        }

        public boolean isVariant() {
            return !module.equals("vfio_pci");
        }
    }

    private final List<Alias> aliases;

    private VariantDrivers(List<Alias> aliases) {
        this.aliases = List.copyOf(aliases);
    }

    /** The vfio_pci: lines of a modules.alias file; other lines are ignored. */
    public static VariantDrivers parse(List<String> modulesAlias) {
        List<Alias> out = new ArrayList<>();
        for (String line : modulesAlias) {
            String[] w = line.strip().split("\\s+");
            if (w.length == 3 && w[0].equals("alias") && w[1].startsWith(PREFIX)) {
                String pattern = w[1].substring(PREFIX.length());
                out.add(new Alias(pattern, w[2], Pattern.compile(glob(pattern), Pattern.CASE_INSENSITIVE)));
            }
        }
        return new VariantDrivers(out);
    }

    private static String glob(String pattern) {
        StringBuilder re = new StringBuilder();
        for (char c : pattern.toCharArray()) {
            switch (c) {
                case '*' -> re.append(".*");
                case '?' -> re.append('.');
                default -> re.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return re.toString();
    }

    public List<Alias> aliases() {
        return aliases;
    }

    /** The variant modules the kernel has, once each, in modules.alias order. */
    public List<String> variantModules() {
        return aliases.stream().map(Alias::module).filter(m -> !m.equals("vfio_pci")).distinct().toList();
    }

    /** The best specific match for a device's modalias ("pci:v...") or empty when only the generic driver fits. */
    public Optional<Choice> variantFor(String modalias) {
        if (modalias == null || !modalias.startsWith("pci:")) {
            return Optional.empty();
        }
        String id = modalias.substring(4).strip();
        Alias best = null;
        for (Alias a : aliases) {
            if (!a.module().equals("vfio_pci") && a.regex().matcher(id).matches() && (best == null || a.wildcards() < best.wildcards())) {
                best = a;
            }
        }
        return Optional.ofNullable(best).map(a -> new Choice(a.module(), a.line()));
    }

    /** The driver a device gets for passthrough: its variant, else vfio-pci. */
    public Choice driverFor(String modalias) {
        return variantFor(modalias).orElse(new Choice("vfio_pci", "vfio-pci (no vfio_pci: alias of a variant driver matches "
                + (modalias == null ? "the device" : modalias.strip()) + ")"));
    }
}
