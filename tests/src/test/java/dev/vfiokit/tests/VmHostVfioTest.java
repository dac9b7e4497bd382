package dev.vfiokit.tests;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Binding, SR-IOV, rollback and undo on a real kernel (emulated Intel IOMMU, an NVMe SR-IOV PF, two e1000e, a
 * virtio-net, and an e1000e + virtio-net pair sharing one group). The guest runs the built jar (a script per
 * JVM start: ~45 s each under TCG) and records what the kernel reports after each phase; the assertions read it.
 */
@Tag("vmhost")
class VmHostVfioTest {

    private static final String GUEST = """
            S=/sys/bus/pci/devices; O=/mnt/out; export VFIOKIT_STATE_DIR=/var/lib/vfiokit
            drv() { l=$S/$1/driver; [ -e $l ] && basename $(readlink $l) || echo none; }
            grp() { basename $(readlink $S/$1/iommu_group); }
            state() { for d in $E1 $MF0 $MF1 $VN $PF; do echo "$d=$(drv $d)"; done; echo "numvfs=$(cat $S/$PF/sriov_numvfs)"; }
            PF=$(for d in $S/*; do [ -f $d/sriov_totalvfs ] && basename $d; done | head -1)
            E1=$(for d in $S/*; do [ "$(cat $d/device)" = 0x10d3 ] && [ "${d##*.}" = 0 ] && basename $d; done | head -1)
            MF1=$(for d in $S/*.1; do case $d in */0000:00:*) ;; *) basename $d;; esac; done | head -1); MF0=${MF1%.1}.0
            VN=$(for d in $S/*; do [ "$(cat $d/vendor)" = 0x1af4 ] && [ "$(cat $d/class)" = 0x020000 ] && [ "$(basename $d)" != "$MF1" ] && basename $d; done | head -1)
            echo "E1=$E1 MF0=$MF0 MF1=$MF1 VN=$VN PF=$PF" > $O/devices
            state > $O/0-initial
            # phase 1: dry run, bind one device, refuse a non-viable group, bind the group, VFs, bind a VF, persist
            cat > /tmp/p1 <<EOS
            bind --device $E1 --dry-run
            bind --device $E1 --json
            bind --device $MF0 --group --json
            vf create --pf $PF --count 2 --json
            vf create --pf $PF --count 3 --json
            bind --device $VN --persist --json
            EOS
            state > $O/1a-before
            $JAVA -jar $JAR bind --device $E1 --dry-run > $O/1-dryrun.txt 2>&1; state > $O/1b-after-dryrun
            $JAVA -jar $JAR --script /tmp/p1 > $O/1-out.txt 2> $O/1-err.txt; echo $? > $O/1-rc
            state > $O/1-after; echo "grp_E1=$(grp $E1) grp_MF=$(grp $MF0)" >> $O/1-after; ls /dev/vfio > $O/1-devvfio
            cat /etc/driverctl.d/pci-$VN > $O/1-driverctl 2>&1
            VF0=$(basename $(readlink $S/$PF/virtfn0)); echo "VF0=$VF0" >> $O/1-after
            # phase 2: a VF to vfio-pci, VFs listed, a count the kernel would refuse (ERANGE)
            printf 'bind --device %s\\nvf list --pf %s --json\\nvf create --pf %s --count 9\\n' $VF0 $PF $PF > /tmp/p2
            $JAVA -jar $JAR --script /tmp/p2 --continue-on-error > $O/2-out.txt 2> $O/2-err.txt; echo $? > $O/2-rc
            echo "VF0=$(drv $VF0) grp_VF0=$(grp $VF0)" > $O/2-after; ls /dev/vfio > $O/2-devvfio
            # phase 2b: VFs removed directly (refused while one is on vfio-pci, then forced); a PF without a driver (ENOENT)
            printf 'vf remove --pf %s\\nvf remove --pf %s --force\\n' $PF $PF > /tmp/p2b
            $JAVA -jar $JAR --script /tmp/p2b --continue-on-error > $O/2b-out.txt 2> $O/2b-err.txt; echo $? > $O/2b-rc
            echo "numvfs=$(cat $S/$PF/sriov_numvfs)" > $O/2b-after
            echo $PF > $S/$PF/driver/unbind
            echo 1 > $S/$PF/sriov_numvfs 2> $O/2b-kernel-enoent
            $JAVA -jar $JAR vf create --pf $PF --count 1 > $O/2c-out.txt 2> $O/2c-err.txt; echo $? > $O/2c-rc
            echo $PF > /sys/bus/pci/drivers/nvme/bind; echo "PF=$(drv $PF)" > $O/2c-after
            # phase 3: unbind --restore one, then undo everything, newest first
            cat > /tmp/p3 <<EOS
            unbind --device $E1 --restore
            undo --last
            undo --last
            undo --last
            undo --last
            undo --last
            undo --last
            undo --last
            undo --last
            undo --list
            EOS
            $JAVA -jar $JAR --script /tmp/p3 > $O/3-out.txt 2> $O/3-err.txt; echo $? > $O/3-rc
            state > $O/3-after; ls /etc/driverctl.d 2>/dev/null > $O/3-driverctl
            # phase 4: the group is refused alone; a fault injected mid-plan rolls back to the exact previous drivers
            printf 'bind --device %s\\nbind --device %s --group\\n' $MF0 $MF0 > /tmp/p4
            VFIOKIT_FAULT_AFTER_STEP=4 $JAVA -jar $JAR --script /tmp/p4 --continue-on-error > $O/4-out.txt 2> $O/4-err.txt; echo $? > $O/4-rc
            state > $O/4-after
            # phase 5: killed after step 2 (override set, device unbound), then undo in a new process
            VFIOKIT_PAUSE_AFTER_STEP=2:900 $JAVA -jar $JAR bind --device $E1 > $O/5-out.txt 2>&1 &
            P=$!
            for i in $(seq 600); do grep -qs '"stepsDone" : 2' /var/lib/vfiokit/journal/*-bind.json && break; sleep 0.5; done
            kill -9 $P; wait $P 2>/dev/null
            echo "E1=$(drv $E1) override=$(cat $S/$E1/driver_override)" > $O/5-killed
            $JAVA -jar $JAR undo --last > $O/5-undo.txt 2>&1; echo $? > $O/5-rc
            echo "E1=$(drv $E1) override=$(cat $S/$E1/driver_override)" > $O/5-after
            """;

    @Test
    void bindUnbindVfsRollbackAndUndoOnARealKernel() throws Exception {
        Path out = Path.of(System.getProperty("java.io.tmpdir"), "vfiokit-vmhost-vfio-" + ProcessHandle.current().pid());
        int rc = VmHost.run("intel", GUEST, out);
        assertThat(rc).as("guest script exit code (see " + out + ")").isZero();
        Map<String, String> dev = kv(VmHost.read(out, "devices"));
        String e1 = dev.get("E1");
        String mf0 = dev.get("MF0");
        String mf1 = dev.get("MF1");
        String vn = dev.get("VN");
        Map<String, String> initial = kv(VmHost.read(out, "0-initial"));
        assertThat(initial.get(e1)).isEqualTo("e1000e");
        assertThat(initial.get("numvfs")).isEqualTo("0");

        // a dry run changes nothing
        assertThat(VmHost.read(out, "1-dryrun.txt")).contains("plan (dry run, nothing changed)", "driver_override", "drivers_probe");
        assertThat(VmHost.read(out, "1b-after-dryrun")).isEqualTo(VmHost.read(out, "1a-before"));

        // phase 1: single device, whole multifunction group, VFs (3 after 2: zero first), persistence
        assertThat(VmHost.read(out, "1-rc").strip()).as(VmHost.read(out, "1-err.txt")).isEqualTo("0");
        Map<String, String> after1 = kv(VmHost.read(out, "1-after"));
        assertThat(after1.get(e1)).isEqualTo("vfio-pci");
        assertThat(after1.get(mf0)).isEqualTo("vfio-pci");
        assertThat(after1.get(mf1)).isEqualTo("vfio-pci");
        assertThat(after1.get(vn)).isEqualTo("vfio-pci");
        assertThat(after1.get("numvfs")).isEqualTo("3");
        assertThat(VmHost.read(out, "1-devvfio")).contains(after1.get("grp_E1"), after1.get("grp_MF"));
        assertThat(VmHost.read(out, "1-driverctl")).isEqualTo("vfio-pci\n");
        assertThat(VmHost.read(out, "1-out.txt")).contains("disable the 2 VFs first");

        // phase 2: a VF bound to vfio-pci; ERANGE refused before any write, naming the script line
        assertThat(VmHost.read(out, "2-after")).contains("VF0=vfio-pci");
        String err2 = VmHost.read(out, "2-err.txt");
        assertThat(err2).contains("supports 4 VFs (sriov_totalvfs); 9 would be refused by the kernel (ERANGE)", "/tmp/p2:3:");
        assertThat(VmHost.read(out, "2-rc").strip()).isEqualTo("65");
        assertThat(VmHost.read(out, "2-out.txt")).contains("\"numVfs\" : 3", "\"driver\" : \"vfio-pci\"");
        // phase 2b: removal refused while a VF is on vfio-pci, then forced; ENOENT for a PF without a driver
        assertThat(VmHost.read(out, "2b-err.txt")).contains("are bound to vfio-pci (maybe in a guest); --force removes them anyway");
        assertThat(VmHost.read(out, "2b-after")).contains("numvfs=0");
        assertThat(VmHost.read(out, "2b-kernel-enoent")).contains("No such file or directory");
        assertThat(VmHost.read(out, "2c-rc").strip()).isEqualTo("65");
        assertThat(VmHost.read(out, "2c-err.txt")).contains("has no driver: the kernel cannot create VFs on it (ENOENT)");
        assertThat(VmHost.read(out, "2c-after")).contains("PF=nvme");

        // phase 3: unbind --restore, then undo of every journaled change puts the host back exactly
        assertThat(VmHost.read(out, "3-rc").strip()).as(VmHost.read(out, "3-err.txt")).isEqualTo("0");
        assertThat(VmHost.read(out, "3-out.txt")).contains("give back " + e1, "undid").contains("undone");
        assertThat(VmHost.read(out, "3-after")).isEqualTo(VmHost.read(out, "0-initial"));
        assertThat(VmHost.read(out, "3-driverctl")).doesNotContain("pci-" + vn);

        // phase 4: injected fault after step 4 of the group bind: rolled back to the exact previous drivers
        assertThat(VmHost.read(out, "4-rc").strip()).isEqualTo("74");
        assertThat(VmHost.read(out, "4-err.txt")).contains("is not viable alone: " + mf1 + " must come along",
                "injected fault after step 4", "rolled back: the host is as it was");
        assertThat(VmHost.read(out, "4-after")).isEqualTo(VmHost.read(out, "0-initial"));

        // phase 5: killed mid-plan (unbound, override set); undo in a new process restores it
        assertThat(VmHost.read(out, "5-killed")).contains("E1=none", "override=vfio-pci");
        assertThat(VmHost.read(out, "5-rc").strip()).as(VmHost.read(out, "5-undo.txt")).isEqualTo("0");
        assertThat(VmHost.read(out, "5-after")).contains("E1=e1000e", "override=(null)");
    }

    private static Map<String, String> kv(String text) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String tok : text.split("\\s+")) {
            int eq = tok.indexOf('=');
            if (eq > 0) {
                m.put(tok.substring(0, eq), tok.substring(eq + 1));
            }
        }
        return m;
    }
}
