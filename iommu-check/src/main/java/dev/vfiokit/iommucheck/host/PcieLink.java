package dev.vfiokit.iommucheck.host;

/** PCIe link state: speeds as sysfs writes them ("16.0 GT/s PCIe"), widths in lanes. */
public record PcieLink(String currentSpeed, String maxSpeed, int currentWidth, int maxWidth) {

    public static double gts(String speed) {
        if (speed == null) {
            return 0;
        }
        String s = speed.strip();
        int sp = s.indexOf(' ');
        try {
            return Double.parseDouble(sp < 0 ? s : s.substring(0, sp));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** PCIe generation of a speed: 2.5 GT/s is Gen1, 5 Gen2, 8 Gen3, 16 Gen4, 32 Gen5, 64 Gen6. */
    public static int generation(String speed) {
        double g = gts(speed);
        return g >= 64 ? 6 : g >= 32 ? 5 : g >= 16 ? 4 : g >= 8 ? 3 : g >= 5 ? 2 : g > 0 ? 1 : 0;
    }

    public boolean slowerThanCapable() {
        return gts(currentSpeed) > 0 && gts(maxSpeed) > 0 && gts(currentSpeed) < gts(maxSpeed);
    }

    public boolean narrowerThanCapable() {
        return currentWidth > 0 && maxWidth > 0 && currentWidth < maxWidth;
    }

    public String describeCurrent() {
        return "x" + currentWidth + " Gen" + generation(currentSpeed) + " (" + currentSpeed + ")";
    }

    public String describeMax() {
        return "x" + maxWidth + " Gen" + generation(maxSpeed) + " (" + maxSpeed + ")";
    }
}
