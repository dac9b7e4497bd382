package dev.vfiokit.iommucheck;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The build's version and stamp (Maven filters them into build.properties), read once. */
public final class BuildInfo {
    private static final Properties PROPS = load();

    private BuildInfo() {
    }

    /** The build stamp, letters and digits only: it names the demo host's cache directory. */
    public static String stamp() {
        return PROPS.getProperty("built", "dev").replaceAll("[^0-9A-Za-z]", "");
    }

    /** The version (from the POM), "dev" outside a Maven build. */
    public static String version() {
        return PROPS.getProperty("version", "dev");
    }

    /** "VERSION (build STAMP)", for vfiokit --version. */
    public static String versionLine() {
        return PROPS.getProperty("version", "dev") + " (build " + stamp() + ")";
    }

    private static Properties load() {
        Properties p = new Properties();
        try (InputStream in = BuildInfo.class.getResourceAsStream("/dev/vfiokit/iommucheck/build.properties")) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException e) {
            // a jar without it is a development build: "dev"
        }
        return p;
    }
}
