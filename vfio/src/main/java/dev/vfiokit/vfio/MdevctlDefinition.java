package dev.vfiokit.vfio;

/** mdevctl's persistent definition: /etc/mdevctl.d/PARENT/UUID holding {"mdev_type", "start", "attrs"}. */
public final class MdevctlDefinition {
    private MdevctlDefinition() {
    }

    public static String json(String type) {
        return "{\n  \"mdev_type\": \"" + type + "\",\n  \"start\": \"auto\",\n  \"attrs\": []\n}\n";
    }
}
