package dev.vfiokit.tests;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Ansible collection's real writes, on the real kernel of the VM host: Debian's ansible-core runs a playbook
 * with the local connection in the guest (root = this machine's, read-only, so its python, ansible and java run
 * there; the modules call the repository's launcher), binding an e1000e to vfio-pci and making two VFs on the NVMe PF.
 * The first run changes both, the second changes nothing, a check-mode run of the reverse writes nothing, and the
 * reverse gives the device and the PF back.
 */
@Tag("vmhost")
class VmHostAnsibleTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static final String GUEST = """
            S=/sys/bus/pci/devices; O=/mnt/out; export VFIOKIT_STATE_DIR=/var/lib/vfiokit HOME=/root
            drv() { l=$S/$1/driver; [ -e $l ] && basename $(readlink $l) || echo none; }
            PF=$(for d in $S/*; do [ -f $d/sriov_totalvfs ] && basename $d; done | head -1)
            E1=$(for d in $S/*; do [ "$(cat $d/device)" = 0x10d3 ] && [ "${d##*.}" = 0 ] && basename $d; done | head -1)
            state() { echo "E1=$(drv $E1) override=$(cat $S/$E1/driver_override) numvfs=$(cat $S/$PF/sriov_numvfs)"; }
            write_play() {   # write_play FILE STATE
            cat > $1 <<EOS
            - hosts: localhost
              gather_facts: false
              tasks:
                - name: the e1000e on vfio-pci
                  vfiokit.host.bind: {executable: $REPO/vfiokit, device: ["$E1"], state: $2}
                - name: VFs on the NVMe PF
                  vfiokit.host.vf: {executable: $REPO/vfiokit, pf: "$PF", count: 2, state: $2}
            EOS
            }
            write_play /tmp/up.yml present; write_play /tmp/down.yml absent
            export ANSIBLE_COLLECTIONS_PATH=$REPO/shell/ansible ANSIBLE_STDOUT_CALLBACK=results_json
            export ANSIBLE_CALLBACK_PLUGINS=$REPO/tests/multihost/callback_plugins ANSIBLE_LOCALHOST_WARNING=False
            export ANSIBLE_INVENTORY_UNPARSED_WARNING=False ANSIBLE_PYTHON_INTERPRETER=/usr/bin/python3
            run() { ansible-playbook -c local -i localhost, "$@"; }
            echo "E1=$E1 PF=$PF" > $O/devices; state > $O/0-initial
            run /tmp/up.yml > $O/1.json 2> $O/1.err; state > $O/1-after
            run /tmp/up.yml > $O/2.json 2> $O/2.err; state > $O/2-after
            run /tmp/down.yml --check --diff > $O/3.json 2> $O/3.err; state > $O/3-after
            run /tmp/down.yml > $O/4.json 2> $O/4.err; state > $O/4-after
            """;

    @Test
    void anAnsibleRunBindsAndMakesVfsOnceThenChangesNothingAndGivesThemBack() throws Exception {
        Path out = Path.of(System.getProperty("java.io.tmpdir"), "vfiokit-vmhost-ansible-" + ProcessHandle.current().pid());
        int rc = VmHost.run("intel", "REPO=" + Repo.root() + "\n" + GUEST, out);
        assertThat(rc).as("guest script exit code (see " + out + ")").isZero();
        assertThat(VmHost.read(out, "0-initial")).isEqualTo("E1=e1000e override=(null) numvfs=0\n");

        JsonNode first = run(out, "1");
        assertThat(changed(first, "the e1000e on vfio-pci")).isTrue();
        assertThat(changed(first, "VFs on the NVMe PF")).isTrue();
        assertThat(first.get("stats").get("localhost").get("failures").asInt()).isZero();
        assertThat(VmHost.read(out, "1-after")).isEqualTo("E1=vfio-pci override=vfio-pci numvfs=2\n");

        JsonNode second = run(out, "2");
        assertThat(second.get("stats").get("localhost").get("changed").asInt()).isZero();
        assertThat(second.get("stats").get("localhost").get("failures").asInt()).isZero();
        assertThat(VmHost.read(out, "2-after")).isEqualTo(VmHost.read(out, "1-after"));

        JsonNode check = run(out, "3");
        assertThat(changed(check, "the e1000e on vfio-pci")).isTrue();
        assertThat(result(check, "the e1000e on vfio-pci").get("diff").toString()).contains("driver/unbind");
        assertThat(VmHost.read(out, "3-after")).as("check mode writes nothing").isEqualTo(VmHost.read(out, "1-after"));

        JsonNode back = run(out, "4");
        assertThat(changed(back, "the e1000e on vfio-pci")).isTrue();
        assertThat(changed(back, "VFs on the NVMe PF")).isTrue();
        assertThat(back.get("stats").get("localhost").get("failures").asInt()).isZero();
        assertThat(VmHost.read(out, "4-after")).isEqualTo(VmHost.read(out, "0-initial"));
    }

    private static JsonNode run(Path out, String n) throws Exception {
        String json = VmHost.read(out, n + ".json");
        assertThat(json).as("ansible-playbook run " + n + ": " + VmHost.read(out, n + ".err")).contains("\"stats\"");
        return JSON.readTree(json.substring(json.indexOf('{')));
    }

    private static JsonNode result(JsonNode run, String task) {
        for (JsonNode play : run.get("plays")) {
            for (JsonNode t : play.get("tasks")) {
                if (t.get("task").get("name").asText().equals(task)) {
                    return t.get("hosts").get("localhost");
                }
            }
        }
        throw new AssertionError("no task " + task);
    }

    private static boolean changed(JsonNode run, String task) {
        return result(run, task).get("changed").asBoolean();
    }
}
