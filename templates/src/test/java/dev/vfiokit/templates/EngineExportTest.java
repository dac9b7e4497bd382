package dev.vfiokit.templates;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vfiokit.iommucheck.fixture.DemoHost;
import dev.vfiokit.iommucheck.fixture.FixtureHosts;
import dev.vfiokit.iommucheck.host.HostRoot;
import dev.vfiokit.iommucheck.host.HostSnapshot;
import dev.vfiokit.iommucheck.host.HostSnapshotReader;
import dev.vfiokit.iommucheck.host.PciIdNames;
import dev.vfiokit.templates.engine.KubevirtConfig;
import dev.vfiokit.templates.engine.NovaConfig;
import dev.vfiokit.templates.engine.PassthroughInventory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * KubeVirt's permittedHostDevices and Nova's [pci]/[devices] from a host's inventory: golden files for the demo GPU
 * server, and read back the way each engine reads them (the CR as YAML with KubeVirt's field names; each device_spec
 * and alias as the JSON object Nova parses).
 */
class EngineExportTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static PassthroughInventory demo() {
        HostSnapshot s = new HostSnapshotReader(new HostRoot(DemoHost.root())).read("demo");
        return PassthroughInventory.of(s, PciIdNames.load(new HostRoot(DemoHost.root()), s.devices()));
    }

    @Test
    void theDemoOffersItsFreeGpusAndNicVfsAndLeavesOutWhatItMustNot() {
        PassthroughInventory inv = demo();
        assertThat(inv.models()).extracting(PassthroughInventory.PciModel::selector).containsExactly("10DE:2230", "8086:1889");
        PassthroughInventory.PciModel a6000 = inv.models().get(0);
        assertThat(a6000.type()).isEqualTo(PassthroughInventory.DeviceType.PCI);
        assertThat(a6000.addresses()).extracting(Object::toString).containsExactly("0000:01:00.0", "0000:21:00.0", "0000:41:00.0", "0000:61:00.0");
        PassthroughInventory.PciModel vf = inv.models().get(1);
        assertThat(vf.type()).isEqualTo(PassthroughInventory.DeviceType.VF);
        assertThat(vf.pfNetdevs()).containsExactly("ens1f0np0");
        assertThat(inv.notes()).anyMatch(n -> n.startsWith("0000:c2:00.0 left out: the boot GPU"))
                .anyMatch(n -> n.startsWith("0000:a1:00.0 left out: a vGPU parent"))
                .anyMatch(n -> n.startsWith("0000:e1:00.0 left out: it serves NVIDIA vGPUs"));
        assertThat(inv.mdevTypes()).singleElement().satisfies(o -> {
            assertThat(o.typeId()).isEqualTo("nvidia-223");
            assertThat(o.typeName()).isEqualTo("GRID T4-2B");
            assertThat(o.parentAddresses()).extracting(Object::toString).containsExactly("0000:a1:00.0");
        });
    }

    @Test
    void kubevirtPermittedHostDevicesMatchTheGoldenFileAndKubevirtsShape() throws Exception {
        String yaml = KubevirtConfig.yaml(demo());
        Golden.assertMatches("kubevirt-demo.yaml", yaml);
        Map<String, Object> cr = new Yaml().load(yaml);
        assertThat(cr).containsEntry("apiVersion", "kubevirt.io/v1").containsEntry("kind", "KubeVirt");
        @SuppressWarnings("unchecked")
        Map<String, Object> conf = (Map<String, Object>) ((Map<String, Object>) cr.get("spec")).get("configuration");
        @SuppressWarnings("unchecked")
        Map<String, List<Map<String, Object>>> permitted = (Map<String, List<Map<String, Object>>>) conf.get("permittedHostDevices");
        // KubeVirt's PciHostDevice: pciVendorSelector "VVVV:DDDD" and resourceName vendor.com/NAME, nothing else required
        assertThat(permitted.get("pciHostDevices")).allSatisfy(d -> {
            assertThat(d.get("pciVendorSelector").toString()).matches("[0-9A-F]{4}:[0-9A-F]{4}");
            assertThat(d.get("resourceName").toString()).matches("[a-z0-9.-]+/[A-Za-z0-9._-]+");
        });
        assertThat(permitted.get("pciHostDevices")).extracting(d -> d.get("resourceName"))
                .containsExactly("nvidia.com/GA102GL_RTX_A6000", "intel.com/Ethernet_Adaptive_Virtual_Function");
        assertThat(permitted.get("mediatedDevices")).singleElement().satisfies(d -> {
            assertThat(d).containsEntry("mdevNameSelector", "GRID T4-2B").containsEntry("resourceName", "nvidia.com/GRID_T4-2B");
        });
        assertThat(conf.get("mediatedDevicesConfiguration")).isEqualTo(Map.of("mediatedDeviceTypes", List.of("nvidia-223")));
        // the YAML and the map (--json) say the same
        JsonNode fromYaml = JSON.valueToTree(cr);
        JsonNode fromMap = JSON.valueToTree(KubevirtConfig.of(demo()));
        assertThat(fromYaml).isEqualTo(fromMap);
    }

    @Test
    void novaSectionsMatchTheGoldenFileAndEachValueIsTheJsonNovaParses() throws Exception {
        String ini = NovaConfig.ini(demo(), null);
        Golden.assertMatches("nova-demo.conf", ini);
        List<JsonNode> specs = new ArrayList<>();
        List<JsonNode> aliases = new ArrayList<>();
        String section = null;
        for (String line : ini.split("\n")) {
            if (line.startsWith("#") || line.isBlank()) {
                continue;
            }
            if (line.startsWith("[")) {
                section = line;
                continue;
            }
            String key = line.substring(0, line.indexOf(" = "));
            String value = line.substring(line.indexOf(" = ") + 3);
            if ("[pci]".equals(section) && key.equals("device_spec")) {
                specs.add(JSON.readTree(value));
            } else if ("[pci]".equals(section) && key.equals("alias")) {
                aliases.add(JSON.readTree(value));
            }
        }
        assertThat(specs).hasSize(4 + 4).allSatisfy(s -> {
            assertThat(s.get("vendor_id").asText()).matches("[0-9a-f]{4}");
            assertThat(s.get("product_id").asText()).matches("[0-9a-f]{4}");
            assertThat(s.get("address").asText()).matches("[0-9a-f]{4}:[0-9a-f]{2}:[0-9a-f]{2}\\.[0-7]");
        });
        assertThat(aliases).extracting(a -> a.get("device_type").asText()).containsExactly("type-PCI", "type-VF");
        assertThat(aliases).extracting(a -> a.get("name").asText()).doesNotHaveDuplicates();
        assertThat(ini).contains("[devices]\nenabled_mdev_types = nvidia-223\n", "[mdev_nvidia-223]\n", "device_addresses = 0000:a1:00.0\n");
    }

    @Test
    void withAPhysicalNetworkNicVfsAreNamedByTheirPf() {
        String ini = NovaConfig.ini(demo(), "physnet1");
        assertThat(ini).contains("device_spec = {\"devname\": \"ens1f0np0\", \"physical_network\": \"physnet1\"}\n")
                .doesNotContain("\"address\": \"0000:c1:02.");
    }

    @Test
    void anSriovCapableGpuIsTypePfForNova(@TempDir Path dir) {
        // the vGPU-capable L40S with its VFs off is a whole GPU again, and one with SR-IOV capability: Nova's type-PF
        FixtureHosts.l40sVgpu(false).writeTo(dir);
        HostSnapshot s = new HostSnapshotReader(new HostRoot(dir)).read("l40s");
        PassthroughInventory inv = PassthroughInventory.of(s, PciIdNames.load(new HostRoot(dir), s.devices()));
        assertThat(inv.models()).anySatisfy(m -> {
            assertThat(m.selector()).isEqualTo("10DE:26B9");
            assertThat(m.type()).isEqualTo(PassthroughInventory.DeviceType.PF);
        });
        assertThat(NovaConfig.ini(inv, null)).contains("\"product_id\": \"26b9\", \"device_type\": \"type-PF\"");
    }
}
