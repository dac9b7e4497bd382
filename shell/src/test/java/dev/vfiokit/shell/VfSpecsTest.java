package dev.vfiokit.shell;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class VfSpecsTest {
    @Test
    void keyValuePiecesSplitOffBySpringShellRejoinTheirDevice() {
        // what Spring Shell hands over for: --vf ens1f0np0,vlan=100 0000:c1:02.3,mac=02:00:00:00:00:01,mode=interface ens1f1np1
        String[] pieces = {"ens1f0np0", "vlan=100", "0000:c1:02.3", "mac=02:00:00:00:00:01", "mode=interface", "ens1f1np1"};
        assertThat(TemplateCommands.vfSpecs(pieces)).containsExactly("ens1f0np0,vlan=100",
                "0000:c1:02.3,mac=02:00:00:00:00:01,mode=interface", "ens1f1np1");
        assertThat(TemplateCommands.vfSpecs(new String[] {"ens1f0np0,vf=2,vlan=7"})).containsExactly("ens1f0np0,vf=2,vlan=7");
        assertThat(TemplateCommands.vfSpecs(null)).isEmpty();
    }
}
