package dev.vfiokit.vfio;

/** mdevctl's persistent definition: /etc/mdevctl.d/PARENT/UUID holding {"mdev_type", "start", "attrs"}. */
public final class MdevctlDefinition {
    private MdevctlDefinition() {
    }

    public static String json(String type) {
        // the type name comes from sysfs (a directory name): written as a JSON string, never pasted into the text
        String quoted = new String(com.fasterxml.jackson.core.io.JsonStringEncoder.getInstance().quoteAsString(type));
        return "{\n  \"mdev_type\": \"" + quoted + "\",\n  \"start\": \"auto\",\n  \"attrs\": []\n}\n";
    }
}
