package dev.vfiokit.tests;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Today's kernels in the VM host: Debian 12's Linux 6.12 (its security archive) and Ubuntu 24.04's 6.8, booted with
 * an emulated Intel IOMMU. In each, the built jar binds an e1000e and a virtio-net (1af4:1041), check reads what the
 * kernel made of it (the VFIO backends, the vfio-dev entries and cdevs, the kernel's own modules.alias and config),
 * and undo gives both back. Debian builds its kernels without CONFIG_IOMMUFD (6.12 and later alike): there check must
 * say so and find no cdev. Ubuntu's has iommufd, the VFIO cdev and the virtio_vfio_pci variant driver: there bind
 * must choose the variant for the virtio-net, /dev/iommu and /dev/vfio/devices/vfioN must appear, and check must read them.
 */
@Tag("vmhost")
class VmHostTodaysKernelTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static final String GUEST = """
            S=/sys/bus/pci/devices; O=/mnt/out; export VFIOKIT_STATE_DIR=/var/lib/vfiokit
            drv() { l=$S/$1/driver; [ -e $l ] && basename $(readlink $l) || echo none; }
            E=$(for d in $S/*:00.0; do [ "$(cat $d/device)" = 0x10d3 ] && [ ! -e ${d%.0}.1 ] && basename $d; done | head -1)
            V=$(for d in $S/*:00.0; do [ "$(cat $d/device)" = 0x1041 ] && [ ! -e ${d%.0}.1 ] && basename $d; done | head -1)
            echo "$E $V" > $O/devices; uname -r > $O/kernel
            echo "$(drv $E) $(drv $V)" > $O/0-drivers
            $JAVA -jar $JAR bind --device $E $V --json > $O/bind.json 2> $O/bind.err; echo $? > $O/bind.rc
            echo "$(drv $E) $(drv $V)" > $O/1-drivers
            echo "$(ls $S/$E/vfio-dev 2>/dev/null) $(ls $S/$V/vfio-dev 2>/dev/null)" > $O/1-vfio-dev
            ls /dev/vfio/devices > $O/1-cdevs 2>/dev/null || true
            [ -e /dev/iommu ] && echo present > $O/1-iommu || echo absent > $O/1-iommu
            $JAVA -jar $JAR check --json --device $E,$V > $O/check.json 2> $O/check.err; echo $? > $O/check.rc
            $JAVA -jar $JAR undo --last --json > $O/undo.json 2> $O/undo.err; echo $? > $O/undo.rc
            echo "$(drv $E) $(drv $V)" > $O/2-drivers
            """;

    private static Path run(String kernel) throws Exception {
        Path out = Path.of(System.getProperty("java.io.tmpdir"), "vfiokit-vmhost-" + kernel + "-" + ProcessHandle.current().pid());
        int rc = VmHost.run("intel", kernel, GUEST, out);
        assertThat(rc).as("guest script exit code (see " + out + ")").isZero();
        return out;
    }

    @Test
    void debian612HasNoIommufdAndCheckSaysSoFromTheKernelsOwnConfig() throws Exception {
        Path out = run("debian-6.12");
        assertThat(VmHost.read(out, "kernel")).startsWith("6.12.");
        String[] dev = VmHost.read(out, "devices").strip().split(" ");
        assertThat(VmHost.read(out, "bind.rc").strip()).as(VmHost.read(out, "bind.err")).isEqualTo("0");
        assertThat(VmHost.read(out, "1-drivers").strip()).isEqualTo("vfio-pci vfio-pci");
        String[] vfioDev = VmHost.read(out, "1-vfio-dev").strip().split(" ");
        assertThat(vfioDev).hasSize(2).allMatch(n -> n.matches("vfio\\d+"));
        assertThat(VmHost.read(out, "1-cdevs")).as("no VFIO cdev without CONFIG_VFIO_DEVICE_CDEV").isEmpty();
        assertThat(VmHost.read(out, "1-iommu").strip()).isEqualTo("absent");
        JsonNode report = JSON.readTree(VmHost.read(out, "check.json"));
        JsonNode backend = finding(report, "vfio.backend", "host");
        assertThat(backend.get("severity").asText()).isEqualTo("PASS");
        assertThat(backend.get("message").asText()).isEqualTo("legacy group/container (type1); no iommufd (this kernel is built "
                + "without CONFIG_IOMMUFD): devices pass through the legacy group path");
        assertThat(texts(backend.get("evidence"))).contains("/dev/vfio/vfio: present", "/dev/iommu: absent",
                "/boot/config-" + VmHost.read(out, "kernel").strip() + ": CONFIG_IOMMUFD=n", dev[0] + ": vfio-dev/" + vfioDev[0]);
        JsonNode driver = finding(report, "device.vfio-driver", dev[1]);
        assertThat(driver.get("message").asText()).isEqualTo("gets vfio-pci (bound now)");
        // the kernel's own modules.alias (depmod's, from the package) has the generic vfio_pci alias and no variant
        assertThat(texts(driver.get("evidence"))).contains("variant drivers in this kernel: none");
        assertThat(finding(report, "device.power", dev[0]).get("message").asText()).matches("D0|D3hot");
        assertThat(VmHost.read(out, "undo.rc").strip()).as(VmHost.read(out, "undo.err")).isEqualTo("0");
        assertThat(VmHost.read(out, "2-drivers").strip()).isEqualTo(VmHost.read(out, "0-drivers").strip());
    }

    @Test
    void ubuntu68HasIommufdAndTheCdevAndBindTakesTheVirtioVariantDriver() throws Exception {
        Assumptions.assumeTrue(reachable("http://archive.ubuntu.com/ubuntu/dists/noble-updates/Release"),
                "archive.ubuntu.com cannot be reached from here: the Ubuntu kernel cannot be fetched");
        Path out = run("ubuntu-6.8");
        String kernel = VmHost.read(out, "kernel").strip();
        assertThat(kernel).startsWith("6.8.0-").endsWith("-generic");
        String[] dev = VmHost.read(out, "devices").strip().split(" ");
        assertThat(VmHost.read(out, "0-drivers").strip()).isEqualTo("e1000e virtio-pci");
        assertThat(VmHost.read(out, "bind.rc").strip()).as(VmHost.read(out, "bind.err")).isEqualTo("0");
        JsonNode bind = JSON.readTree(VmHost.read(out, "bind.json"));
        assertThat(bind.toString()).contains("virtio_vfio_pci (modules.alias: alias vfio_pci:v00001AF4d00001041sv*sd*bc*sc*i* virtio_vfio_pci)");
        assertThat(VmHost.read(out, "1-drivers").strip()).as("the variant driver for the virtio-net, vfio-pci for the e1000e")
                .isEqualTo("vfio-pci virtio_vfio_pci");
        String[] vfioDev = VmHost.read(out, "1-vfio-dev").strip().split(" ");
        assertThat(VmHost.read(out, "1-cdevs").strip().split("\\s+")).containsExactlyInAnyOrder(vfioDev);
        assertThat(VmHost.read(out, "1-iommu").strip()).isEqualTo("present");
        JsonNode report = JSON.readTree(VmHost.read(out, "check.json"));
        JsonNode backend = finding(report, "vfio.backend", "host");
        assertThat(backend.get("message").asText()).startsWith("legacy group/container (type1); iommufd with the VFIO device cdev");
        assertThat(texts(backend.get("evidence"))).contains("/dev/iommu: present", "/dev/vfio/devices: present",
                "/boot/config-" + kernel + ": CONFIG_IOMMUFD=m", "/boot/config-" + kernel + ": CONFIG_VFIO_DEVICE_CDEV=y",
                dev[0] + ": vfio-dev/" + vfioDev[0] + ", cdev /dev/vfio/devices/" + vfioDev[0],
                dev[1] + ": vfio-dev/" + vfioDev[1] + ", cdev /dev/vfio/devices/" + vfioDev[1]);
        JsonNode driver = finding(report, "device.vfio-driver", dev[1]);
        assertThat(driver.get("message").asText()).isEqualTo("gets virtio_vfio_pci (bound now), a VFIO variant driver");
        assertThat(texts(driver.get("evidence"))).contains("modules.alias: alias vfio_pci:v00001AF4d00001041sv*sd*bc*sc*i* virtio_vfio_pci");
        assertThat(VmHost.read(out, "undo.rc").strip()).as(VmHost.read(out, "undo.err")).isEqualTo("0");
        assertThat(VmHost.read(out, "2-drivers").strip()).isEqualTo("e1000e virtio-pci");
    }

    private static boolean reachable(String url) {
        try {
            HttpURLConnection c = (HttpURLConnection) URI.create(url).toURL().openConnection();
            c.setRequestMethod("HEAD");
            c.setConnectTimeout(10_000);
            c.setReadTimeout(10_000);
            return c.getResponseCode() == 200;
        } catch (java.io.IOException e) {
            return false;
        }
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    private static JsonNode finding(JsonNode report, String id, String subject) {
        for (JsonNode f : report.get("findings")) {
            if (f.get("id").asText().equals(id) && f.get("subject").asText().equals(subject)) {
                return f;
            }
        }
        throw new AssertionError("no finding " + id + " for " + subject + " in " + report);
    }
}
