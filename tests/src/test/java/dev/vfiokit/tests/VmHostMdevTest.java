package dev.vfiokit.tests;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Mediated devices on a real kernel: the kernel's sample mtty driver (built out of tree against the VM host's
 * kernel by tests/vmhost/build-mdev-samples.sh) is a real mdev parent with types. The built jar lists, creates,
 * persists, references in a domain, exhausts a type, removes and undoes; the guest records the kernel's own
 * answers beside vfiokit's.
 */
@Tag("vmhost")
class VmHostMdevTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String U1 = "83b8f4f2-509f-382f-3c1e-e6bfe0fa1001";

    private static final String GUEST = """
            O=/mnt/out; export VFIOKIT_STATE_DIR=/var/lib/vfiokit; T=/sys/class/mdev_bus/mtty/mdev_supported_types
            modprobe -a vfio vfio_iommu_type1 mdev; insmod $MTTY || { echo "insmod failed" > $O/fail; exit 1; }
            cat > /tmp/m1 <<EOS
            mdev types --json
            mdev create --parent mtty --type mtty-2 --uuid %1$s --persist --json
            mdev create --parent mtty --type mtty-1 --count 2 --json
            mdev list --json
            domain generate --template vgpu-desktop --name vgpu-1 --mdev %1$s --type qemu --memory 512MiB -o /mnt/out/vgpu-1.xml
            EOS
            $JAVA -jar $JAR --script /tmp/m1 > $O/1-out.txt 2> $O/1-err.txt; echo $? > $O/1-rc
            # the template's 8GiB is more than this 1 GiB machine has: refused, as its kernel's meminfo says
            $JAVA -jar $JAR domain generate --template vgpu-desktop --name vgpu-2 --mdev %1$s --type qemu > $O/1-big-out.txt 2> $O/1-big-err.txt
            echo $? > $O/1-big-rc; grep MemTotal /proc/meminfo > $O/1-meminfo
            ls /sys/bus/mdev/devices > $O/1-devices; cat $T/mtty-2/available_instances > $O/1-avail2
            cat /etc/mdevctl.d/mtty/%1$s > $O/1-mdevctl 2>&1
            basename $(readlink /sys/bus/mdev/devices/%1$s/iommu_group) > $O/1-group; ls /dev/vfio > $O/1-devvfio
            N=$(cat $T/mtty-2/available_instances)
            printf 'mdev create --parent mtty --type mtty-2 --count %%s\\nmdev create --parent mtty --type mtty-2\\n' $N > /tmp/m2
            $JAVA -jar $JAR --script /tmp/m2 --continue-on-error > $O/2-out.txt 2> $O/2-err.txt; echo $? > $O/2-rc
            cat $T/mtty-2/available_instances > $O/2-avail2
            # the kernel's own answers, for comparison with vfiokit's refusals
            echo $(cat /proc/sys/kernel/random/uuid) > $T/mtty-2/create 2> $O/2-kernel-enospc
            echo %1$s > $T/mtty-1/create 2> $O/2-kernel-eexist
            echo not-a-uuid > $T/mtty-1/create 2> $O/2-kernel-einval
            cat > /tmp/m3 <<EOS
            mdev remove --uuid %1$s
            mdev list --json
            undo --last
            EOS
            $JAVA -jar $JAR --script /tmp/m3 > $O/3-out.txt 2> $O/3-err.txt; echo $? > $O/3-rc
            ls /sys/bus/mdev/devices > $O/3-devices; cat /sys/bus/mdev/devices/%1$s/mdev_type/name > $O/3-type 2>&1
            """.formatted(U1);

    @Test
    void mdevLifecycleOnTheKernelsMttySample() throws Exception {
        Process build = new ProcessBuilder("bash", Repo.root().resolve("tests/vmhost/build-mdev-samples.sh").toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String out = new String(build.getInputStream().readAllBytes()).strip();
        assertThat(build.waitFor(900, TimeUnit.SECONDS)).isTrue();
        assertThat(build.exitValue()).as("building mtty.ko").isZero();
        String ko = out.lines().reduce((a, b) -> b).orElseThrow();
        Path dir = Path.of(System.getProperty("java.io.tmpdir"), "vfiokit-vmhost-mdev-" + ProcessHandle.current().pid());
        int rc = VmHost.run("intel", "MTTY=" + ko + "\n" + GUEST, dir);
        assertThat(rc).as("guest script (see " + dir + ")").isZero();

        // phase 1: types read from the kernel, mdevs created (one persisted), listed, and used in a domain
        assertThat(VmHost.read(dir, "1-rc").strip()).as(VmHost.read(dir, "1-err.txt")).isEqualTo("0");
        String out1 = VmHost.read(dir, "1-out.txt");
        JsonNode types = JSON.readTree(out1.substring(0, out1.indexOf("\n}\n") + 3));
        assertThat(types.get("parents").get(0).get("name").asText()).isEqualTo("mtty");
        assertThat(types.get("parents").get(0).get("types").findValuesAsText("id")).containsExactly("mtty-1", "mtty-2");
        assertThat(List.of(VmHost.read(dir, "1-devices").split("\n"))).hasSize(3).contains(U1);
        assertThat(VmHost.read(dir, "1-mdevctl")).isEqualTo("{\n  \"mdev_type\": \"mtty-2\",\n  \"start\": \"auto\",\n  \"attrs\": []\n}\n");
        assertThat(VmHost.read(dir, "1-devvfio")).contains(VmHost.read(dir, "1-group").strip());
        String xml = VmHost.read(dir, "vgpu-1.xml");
        assertThat(xml).contains("type=\"mdev\"", "model=\"vfio-pci\"", "uuid=\"" + U1 + "\"");
        assertThat(VirtXmlValidate.problems(xml, "domain")).isNull();
        // the guest's RAM as this kernel's meminfo says it, and an 8 GiB guest with the mdev refused for it
        long memTotal = Long.parseLong(VmHost.read(dir, "1-meminfo").replaceAll("\\D", ""));
        assertThat(VmHost.read(dir, "1-big-rc").strip()).isEqualTo("65");
        assertThat(VmHost.read(dir, "1-big-err.txt")).isEqualTo("vfiokit: memory 8GiB is more than the "
                + dev.vfiokit.templates.MemorySize.describe(memTotal) + " of RAM host local has: a guest with passthrough devices has"
                + " all its memory locked for DMA, so it could never start\n");

        // phase 2: the type exhausted, then refused as the kernel refuses it (ENOSPC); EEXIST and EINVAL likewise
        assertThat(VmHost.read(dir, "2-avail2").strip()).isEqualTo("0");
        assertThat(VmHost.read(dir, "2-err.txt")).contains("0 free instance(s), 1 asked (the kernel would answer ENOSPC)");
        assertThat(VmHost.read(dir, "2-rc").strip()).isEqualTo("65");
        assertThat(VmHost.read(dir, "2-kernel-enospc")).contains("No space left on device");
        assertThat(VmHost.read(dir, "2-kernel-eexist")).contains("File exists");
        assertThat(VmHost.read(dir, "2-kernel-einval")).contains("Invalid argument");

        // phase 3: removed, then undo creates it again with the same UUID and type
        assertThat(VmHost.read(dir, "3-rc").strip()).as(VmHost.read(dir, "3-err.txt")).isEqualTo("0");
        assertThat(VmHost.read(dir, "3-out.txt")).contains("remove mdev(s) " + U1, "created mdev " + U1 + " (mtty-2) again");
        assertThat(VmHost.read(dir, "3-devices")).contains(U1);
        assertThat(VmHost.read(dir, "3-type").strip()).isEqualTo("Dual port serial");
    }
}
