package dev.vfiokit.templates;

import dev.vfiokit.iommucheck.fixture.FixtureHosts;
import dev.vfiokit.iommucheck.host.HostRoot;
import dev.vfiokit.iommucheck.host.HostSnapshot;
import dev.vfiokit.iommucheck.host.HostSnapshotReader;
import dev.vfiokit.iommucheck.host.PciAddress;
import dev.vfiokit.iommucheck.host.LibvirtVersion;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DomainGeneratorTest {
    @TempDir
    static Path dir;

    static HostSnapshot epyc;
    static HostSnapshot consumer;
    static final TemplateCatalogue CATALOGUE = TemplateCatalogue.builtin();

    @BeforeAll
    static void hosts() {
        FixtureHosts.epycServer().writeTo(dir.resolve("epyc"));
        epyc = new HostSnapshotReader(new HostRoot(dir.resolve("epyc"))).read("demo");
        FixtureHosts.consumerBoard().writeTo(dir.resolve("consumer"));
        consumer = new HostSnapshotReader(new HostRoot(dir.resolve("consumer"))).read("consumer");
    }

    static DomainRequest request(String template, String name, List<String> pci, List<String> vfs, List<String> mdevs) {
        return new DomainRequest(template, name, "kvm", null, null, null,
                pci.stream().map(PciAddress::parse).toList(), vfs.stream().map(VfRequest::parse).toList(), mdevs,
                true, null, false, Map.of());
    }

    static GeneratedDomain generate(HostSnapshot host, DomainRequest r) {
        return new DomainGenerator(host, Map.of()).generate(CATALOGUE.get(r.template()), r);
    }

    @Test
    void aVendorVgpuVfGoesAloneUnmanagedWithTheDomainsUuidFixed() {
        FixtureHosts.l40sVgpu(true).writeTo(dir.resolve("l40s"));
        HostSnapshot l40s = new HostSnapshotReader(new HostRoot(dir.resolve("l40s"))).read("l40s");
        DomainRequest r = new DomainRequest("gpu-compute", "vgpu-1", "kvm", null, null, null, List.of(), List.of(), List.of(),
                true, null, false, Map.of(), List.of(PciAddress.parse("0000:41:00.5")));
        GeneratedDomain g = generate(l40s, r);
        assertThat(g.domain().devices.hostdevs).singleElement().satisfies(h -> {
            assertThat(h.managed).isEqualTo("no");
            assertThat(h.driver).isNull();
            assertThat(h.source.address.toPciAddress()).isEqualTo(PciAddress.parse("0000:41:00.5"));
        });
        assertThat(g.domain().uuid).isNotBlank();
        assertThat(g.xml()).doesNotContain("function=\"0x0\"/></source>");
        assertThat(g.notes()).contains("0000:41:00.5: vGPU type 1177, passed on nvidia (managed='no')");
        assertThatThrownBy(() -> generate(l40s, new DomainRequest("gpu-compute", "v", "kvm", null, null, null, List.of(), List.of(),
                List.of(), true, null, false, Map.of(), List.of(PciAddress.parse("0000:41:00.4")))))
                .isInstanceOf(RequestRefused.class).hasMessageContaining("is no vGPU yet");
        assertThatThrownBy(() -> generate(l40s, new DomainRequest("gpu-compute", "v", "kvm", null, null, null, List.of(), List.of(),
                List.of(), true, null, false, Map.of(), List.of(PciAddress.parse("0000:41:00.0")))))
                .isInstanceOf(RequestRefused.class).hasMessageContaining("is not an NVIDIA vendor-specific VFIO vGPU VF");
    }

    @Test
    void variantDriverModelsAndIommufdAreEmittedOnlyForALibvirtThatHasThem() {
        FixtureHosts.iommufdHost().writeTo(dir.resolve("iommufd"));
        HostSnapshot host = new HostSnapshotReader(new HostRoot(dir.resolve("iommufd"))).read("iommufd");
        DomainRequest draft = request("gpu-compute", "gate", List.of("0000:03:00.2"), List.of(), List.of());
        // libvirt 9.0 (Debian 12): neither the model nor iommufd; the variant is named with how to use it anyway
        GeneratedDomain old = generate(host, draft.forLibvirt(LibvirtVersion.parse("9.0.0")));
        assertThat(old.xml()).doesNotContain("model=\"mlx5_vfio_pci\"").doesNotContain("iommufd");
        assertThat(old.notes()).anyMatch(n -> n.startsWith("0000:03:00.2: the host has the VFIO variant driver mlx5_vfio_pci for it, but "
                + "libvirt 9.0.0, older than 10.0, binds vfio-pci itself: bind it first (vfiokit bind --device 0000:03:00.2)"));
        assertThat(old.notes()).contains("VFIO through the legacy group path: libvirt 9.0.0 has no per-device iommufd (12.1+)");
        // libvirt 10.0: the model, still the legacy group path
        GeneratedDomain ten = generate(host, draft.forLibvirt(LibvirtVersion.parse("10.0.0")));
        assertThat(ten.xml()).contains("<driver name=\"vfio\" model=\"mlx5_vfio_pci\"/>").doesNotContain("iommufd");
        // libvirt 12.1 on a kernel with iommufd and the cdev: both
        GeneratedDomain now = generate(host, draft.forLibvirt(LibvirtVersion.parse("12.1.0")));
        assertThat(now.xml()).contains("<driver name=\"vfio\" model=\"mlx5_vfio_pci\" iommufd=\"yes\"/>");
        assertThat(now.notes()).anyMatch(n -> n.startsWith("VFIO through iommufd (<driver iommufd='yes'/>)"));
        // a version not known: nothing a libvirt might not take
        GeneratedDomain unknown = generate(host, draft);
        assertThat(unknown.xml()).doesNotContain("model=\"mlx5").doesNotContain("iommufd");
        // libvirt 12.1 but a kernel without iommufd (the EPYC demo): the legacy path, and why
        GeneratedDomain epycNew = generate(epyc, request("gpu-compute", "gate", List.of("0000:41:00.0"), List.of(), List.of())
                .forLibvirt(LibvirtVersion.parse("12.1.0")));
        assertThat(epycNew.xml()).doesNotContain("iommufd");
        assertThat(epycNew.notes()).contains("VFIO through the legacy group path: the host's kernel offers no iommufd with the VFIO cdev "
                + "(see check's vfio.backend)");
    }

    @Test
    void bigBarsThroughIommufdGetAMemlockLimitThatCoversThem() {
        FixtureHosts.iommufdHost().writeTo(dir.resolve("iommufd-bars"));
        HostSnapshot host = new HostSnapshotReader(new HostRoot(dir.resolve("iommufd-bars"))).read("iommufd");
        DomainRequest draft = new DomainRequest("gpu-compute", "bars", "kvm", null, "16GiB", null, List.of(PciAddress.parse("0000:01:00.0")),
                List.of(), List.of(), true, null, false, Map.of());
        // the RTX 5090's 32G + 64M + 32M of BARs count through iommufd: RAM + 1G would not lock them
        GeneratedDomain fd = generate(host, draft.forLibvirt(LibvirtVersion.parse("12.1.0")));
        assertThat(fd.domain().memtune.hardLimit.value).isEqualTo(49L * 1024 * 1024);
        assertThat(fd.xml()).contains("<hard_limit unit=\"KiB\">51380224</hard_limit>");
        // through the legacy path BARs do not count, and libvirt's own RAM + 1G suffices
        GeneratedDomain legacy = generate(host, draft.forLibvirt(LibvirtVersion.parse("11.0.0")));
        assertThat(legacy.domain().memtune).isNull();
    }

    @Test
    void fabricManagersModeDecidesWhichHgxGpuSetsAGuestMayGet() {
        FixtureHosts.hgxH100SharedNvswitch().writeTo(dir.resolve("hgx-shared"));
        HostSnapshot shared = new HostSnapshotReader(new HostRoot(dir.resolve("hgx-shared"))).read("hgx");
        java.util.function.Function<List<String>, DomainRequest> gpus = a -> request("gpu-compute", "h", a, List.of(), List.of());
        assertThat(generate(shared, gpus.apply(List.of("0000:18:00.0", "0000:2a:00.0"))).xml()).contains("bus=\"0x2a\"");
        assertThatThrownBy(() -> generate(shared, gpus.apply(List.of("0000:18:00.0", "0000:2a:00.0", "0000:3a:00.0"))))
                .isInstanceOf(RequestRefused.class).hasMessageStartingWith("3 GPUs of the NVSwitch board are no Fabric Manager partition");
        assertThatThrownBy(() -> generate(shared, gpus.apply(List.of("0000:18:00.0", "0000:c1:00.0"))))
                .isInstanceOf(RequestRefused.class).hasMessageContaining("NVSwitch 0000:c1:00.0 is Fabric Manager's in Fabric Manager mode 1");
        FixtureHosts.hgxH100(false).writeTo(dir.resolve("hgx-full"));
        HostSnapshot full = new HostSnapshotReader(new HostRoot(dir.resolve("hgx-full"))).read("hgx");
        assertThat(generate(full, gpus.apply(List.of("0000:18:00.0", "0000:2a:00.0", "0000:3a:00.0"))).notes())
                .anySatisfy(n -> assertThat(n).startsWith("NVSwitch board in full passthrough").contains("no NVLink"));
    }

    @Test
    void gpuComputeMatchesItsGoldenFile() throws Exception {
        DomainRequest r = new DomainRequest("gpu-compute", "trainer-01", "kvm", 16, "64GiB", "/var/lib/libvirt/images/trainer-01.qcow2",
                List.of(PciAddress.parse("0000:41:00.0")), List.of(), List.of(), false, null, false, Map.of());
        Golden.assertMatches("gpu-compute.xml", generate(epyc, r).xml());
    }

    @Test
    void gpuWorkstationMatchesItsGoldenFile() throws Exception {
        DomainRequest r = new DomainRequest("gpu-workstation", "cad-desk", "kvm", 8, "32GiB", null,
                List.of(PciAddress.parse("21:00.0")), List.of(), List.of(), false, "/usr/share/vgabios/a6000.rom", false,
                Map.of("vendor_id", "cad0001"));
        Golden.assertMatches("gpu-workstation.xml", generate(epyc, r).xml());
    }

    @Test
    void sriovNfvMatchesItsGoldenFile() throws Exception {
        Golden.assertMatches("sriov-nfv.xml", generate(epyc, request("sriov-nfv", "vrouter-1", List.of(),
                List.of("ens1f0np0,vlan=100", "0000:c1:02.3,mac=02:00:00:aa:bb:cc", "ens1f0np0,vf=1,mode=hostdev"), List.of())).xml());
    }

    @Test
    void vgpuDesktopMatchesItsGoldenFile() throws Exception {
        Golden.assertMatches("vgpu-desktop.xml", generate(epyc, request("vgpu-desktop", "desk-7", List.of(), List.of(),
                List.of("4b20d080-1b54-4048-85b3-a6a62d165c01"))).xml());
    }

    @Test
    void everyTemplateGivesOneSocketANicAndTheGuestAgentAndWindowsSetupSeesItsDisk() {
        for (String t : List.of("gpu-compute", "gpu-workstation", "vgpu-desktop", "sriov-nfv")) {
            GeneratedDomain g = generate(epyc, request(t, "t-" + t, List.of(), List.of(), List.of()));
            assertThat(g.xml()).as(t).contains("<topology sockets=\"1\" dies=\"1\" cores=\"" + g.domain().vcpu.count + "\" threads=\"1\"/>",
                    "<target type=\"virtio\" name=\"org.qemu.guest_agent.0\"/>");
            if (!t.equals("sriov-nfv")) {
                assertThat(g.xml()).as(t + ": a NIC on libvirt's default network").contains("<source network=\"default\"/>");
            }
        }
        DomainRequest windows = new DomainRequest("gpu-workstation", "win", "kvm", 8, "16GiB", "/var/lib/libvirt/images/win.qcow2",
                List.of(), List.of(), List.of(), false, null, false, Map.of());
        assertThat(generate(epyc, windows).xml()).as("Windows setup has no virtio-blk driver")
                .contains("<target dev=\"sda\" bus=\"sata\"/>", "<model type=\"e1000e\"/>");
        assertThatThrownBy(() -> generate(epyc, new DomainRequest("gpu-workstation", "win", "kvm", 8, "16GiB", "/x.qcow2",
                List.of(), List.of(), List.of(), false, null, false, Map.of("disk_bus", "ide")))).hasMessageContaining("disk_bus must be");
    }

    @Test
    void aDesktopWhoseConsoleNoMdevFeedsGetsAVideoDeviceNotABlackScreen() {
        GeneratedDomain gpu = generate(epyc, request("vgpu-desktop", "d-gpu", List.of("0000:41:00.0"), List.of(), List.of()));
        assertThat(gpu.xml()).contains("<model type=\"virtio\"/>").doesNotContain("<model type=\"none\"/>");
        assertThat(gpu.notes()).anySatisfy(n -> assertThat(n).startsWith("video virtio"));
        GeneratedDomain mdev = generate(epyc, request("vgpu-desktop", "d-mdev", List.of(), List.of(),
                List.of("4b20d080-1b54-4048-85b3-a6a62d165c01")));
        assertThat(mdev.xml()).as("the mdev's display feeds the console").contains("display=\"on\"", "<model type=\"none\"/>");
    }

    @Test
    void secureBootIsOnForWindowsAndOffForLinuxWithOutOfTreeModulesAndBiosGuestsHaveNoFirmwareFeatures() {
        assertThat(generate(epyc, request("gpu-workstation", "w", List.of(), List.of(), List.of())).xml())
                .contains("<feature enabled=\"yes\" name=\"secure-boot\"/>", "<feature enabled=\"yes\" name=\"enrolled-keys\"/>", "<smm state=\"on\"/>");
        assertThat(generate(epyc, request("gpu-compute", "c", List.of(), List.of(), List.of())).xml())
                .as("NVIDIA's DKMS modules are unsigned").contains("<feature enabled=\"no\" name=\"secure-boot\"/>");
        DomainRequest bios = new DomainRequest("gpu-compute", "b", "kvm", 2, "2GiB", null, List.of(), List.of(), List.of(), false, null,
                false, Map.of("firmware", "bios"));
        assertThat(generate(epyc, bios).xml()).contains("firmware=\"bios\"").doesNotContain("<firmware>");
    }

    @Test
    void aVfsTrustAndSpoofCheckingComeAsTheVfSetCommandForItsPf() {
        GeneratedDomain g = generate(epyc, request("sriov-nfv", "t", List.of(), List.of("ens1f0np0,vf=1,trust=on,spoofchk=off"), List.of()));
        assertThat(g.notes()).anySatisfy(n -> assertThat(n).contains("trust on, spoof checking off is the PF's to set, not libvirt's",
                "vfiokit vf set --pf ens1f0np0 --vf 1 --trust on --spoofchk off"));
        assertThat(g.xml()).doesNotContain("trust", "spoofchk");
        assertThatThrownBy(() -> VfRequest.parse("ens1f0np0,trust=yes")).hasMessageContaining("trust must be on or off");
    }

    @Test
    void gpusWithLargeBarsGetA64BitMmioWindowThatHoldsThemAll() {
        FixtureHosts.hgxH100(false).writeTo(dir.resolve("hgx"));
        HostSnapshot hgx = new HostSnapshotReader(new HostRoot(dir.resolve("hgx"))).read("hgx");
        GeneratedDomain g = generate(hgx, request("gpu-compute", "big", List.of("0000:18:00.0", "0000:2a:00.0"), List.of(), List.of()));
        assertThat(g.xml()).contains("<qemu:arg value=\"-fw_cfg\"/>", "<qemu:arg value=\"name=opt/ovmf/X-PciMmio64Mb,string=524288\"/>");
        assertThat(g.notes()).anySatisfy(n -> assertThat(n).startsWith("64-bit MMIO window of 512G"));
        assertThat(generate(epyc, request("gpu-compute", "small", List.of("0000:41:00.0"), List.of(), List.of())).xml())
                .as("an A6000's 288M fit OVMF's default").doesNotContain("-fw_cfg");
    }

    @Test
    void aMultifunctionGpuMovesWholeIntoOneGuestSlotWithTheSameFunctionNumbers() {
        GeneratedDomain g = generate(epyc, request("gpu-compute", "mf", List.of("01:00.0"), List.of(), List.of()));
        assertThat(g.domain().devices.hostdevs).hasSize(2);
        var gpu = g.domain().devices.hostdevs.get(0);
        var audio = g.domain().devices.hostdevs.get(1);
        assertThat(gpu.source.address.toPciAddress()).hasToString("0000:01:00.0");
        assertThat(audio.source.address.toPciAddress()).hasToString("0000:01:00.1");
        assertThat(gpu.address.bus).isEqualTo(audio.address.bus);
        assertThat(gpu.address.slot).isEqualTo(audio.address.slot);
        assertThat(gpu.address.function).isEqualTo("0x0");
        assertThat(audio.address.function).isEqualTo("0x1");
        assertThat(gpu.address.multifunction).isEqualTo("on");
        assertThat(audio.address.multifunction).isNull();
        assertThat(g.domain().devices.controllers).anyMatch(c -> "pcie-root-port".equals(c.model)
                && c.index == Integer.decode(gpu.address.bus));
        assertThat(g.notes()).anyMatch(n -> n.contains("0000:01:00.1 (audio) added"));
    }

    @Test
    void twoGpusSitBehindTwoRootPorts() {
        GeneratedDomain g = generate(epyc, request("gpu-compute", "two", List.of("01:00.0", "21:00.0"), List.of(), List.of()));
        assertThat(g.domain().devices.hostdevs).extracting(h -> h.address.bus).containsExactly("0x01", "0x01", "0x02", "0x02");
        assertThat(g.domain().devices.controllers).filteredOn(c -> "pcie-root-port".equals(c.model)).hasSize(2);
    }

    @Test
    void vfMacsAreDerivedFromTheVmNameAndStableAcrossRegeneration() {
        DomainRequest r = request("sriov-nfv", "edge-fw", List.of(), List.of("ens1f0np0", "ens1f0np0"), List.of());
        GeneratedDomain a = generate(epyc, r);
        GeneratedDomain b = generate(epyc, r);
        List<String> macs = a.domain().devices.interfaces.stream().map(i -> i.mac.address).toList();
        assertThat(macs).hasSize(2).doesNotHaveDuplicates().allMatch(m -> m.startsWith("52:54:00:"));
        assertThat(b.domain().devices.interfaces.stream().map(i -> i.mac.address).toList()).isEqualTo(macs);
        assertThat(macs.get(0)).isEqualTo(MacAddresses.forVm("edge-fw", 0));
        assertThat(generate(epyc, request("sriov-nfv", "other-vm", List.of(), List.of("ens1f0np0"), List.of()))
                .domain().devices.interfaces.get(0).mac.address).isNotEqualTo(macs.get(0));
        // the next free VFs of the PF, in order
        assertThat(a.domain().devices.interfaces).extracting(i -> i.source.address.toPciAddress().toString())
                .containsExactly("0000:c1:02.0", "0000:c1:02.1");
    }

    @Test
    void namesThatNeedEscapingGiveWellFormedXml() {
        String name = "Ünïcode \"quoted\" & <angled> 'vm' 名前";
        GeneratedDomain g = generate(epyc, request("gpu-compute", name, List.of(), List.of(), List.of()));
        assertThat(g.xml()).contains("\"quoted\" &amp; &lt;angled&gt;").doesNotContain("& <");
        assertThat(dev.vfiokit.templates.xml.DomainXml.read(g.xml()).name).isEqualTo(name);
    }

    @Test
    void refusesADeviceTheHostDoesNotHave() {
        assertThatThrownBy(() -> generate(epyc, request("gpu-compute", "x", List.of("0000:09:00.0"), List.of(), List.of())))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no PCI device 0000:09:00.0");
    }

    @Test
    void refusesAGpuWhoseGroupHoldsTheHostsUsbAndSata() {
        assertThatThrownBy(() -> generate(consumer, request("gpu-compute", "x", List.of("0a:00.0"), List.of(), List.of())))
                .isInstanceOf(RequestRefused.class).hasMessageContaining("group 14")
                .hasMessageContaining("0000:02:00.0 is a USB controller").hasMessageContaining("storage controller");
    }

    @Test
    void theHostsOwnNicUsbControllerAndStorageAreNeverPassed() {
        assertThatThrownBy(() -> generate(epyc, request("gpu-compute", "u", List.of("0000:c3:00.0"), List.of(), List.of())))
                .isInstanceOf(RequestRefused.class)
                .hasMessage("0000:c3:00.0 carries the default route (eno1): the host needs it, so it is not given to a guest");
        assertThatThrownBy(() -> generate(epyc, request("gpu-compute", "u", List.of("0000:c4:00.3"), List.of(), List.of())))
                .isInstanceOf(RequestRefused.class).hasMessageStartingWith("0000:c4:00.3 is a USB controller (xhci_hcd): the host needs it")
                .hasMessageContaining("bind it to vfio-pci first");
        assertThatThrownBy(() -> generate(epyc, request("gpu-compute", "u", List.of("0000:81:00.0"), List.of(), List.of())))
                .isInstanceOf(RequestRefused.class).hasMessageStartingWith("0000:81:00.0 is a storage controller (nvme): the host needs it");
    }

    @Test
    void anMdevDrivesADisplayOnlyWhereTheDomainHasOne() {
        String uuid = "b8a7d9e2-6c1f-4e0a-9d3b-2f6a1c4e5d70";
        GeneratedDomain headless = generate(epyc, request("gpu-compute", "m1", List.of(), List.of(), List.of(uuid)));
        assertThat(headless.xml()).contains("display=\"off\"").doesNotContain("ramfb=\"on\"");
        assertThat(headless.notes()).contains("mdev display off: template gpu-compute has no graphics device to show it on");
        GeneratedDomain desktop = generate(epyc, request("vgpu-desktop", "m2", List.of(), List.of(), List.of(uuid)));
        assertThat(desktop.xml()).contains("display=\"on\"", "ramfb=\"on\"");
    }

    @Test
    void refusesADeviceAlreadyGivenToAnotherDomain() {
        DomainGenerator gen = new DomainGenerator(epyc, Map.of(PciAddress.parse("0000:21:00.1"), "render-02"));
        DomainRequest r = request("gpu-compute", "x", List.of("21:00.0"), List.of(), List.of());
        assertThatThrownBy(() -> gen.generate(CATALOGUE.get("gpu-compute"), r)).isInstanceOf(RequestRefused.class)
                .hasMessage("0000:21:00.1 is already given to domain 'render-02'");
    }

    @Test
    void aPassthroughGuestLargerThanTheHostsRamIsRefusedAndOneWithoutVfioDevicesIsNot() {
        DomainRequest big = new DomainRequest("gpu-compute", "big", "kvm", null, "600GiB", null, List.of(PciAddress.parse("0000:41:00.0")),
                List.of(), List.of(), true, null, false, Map.of());
        // the EPYC server: 2 x 256 GiB, MemTotal 504 GiB
        assertThatThrownBy(() -> generate(epyc, big)).isInstanceOf(RequestRefused.class)
                .hasMessage("memory 600GiB is more than the 504GiB of RAM host demo has: a guest with passthrough devices has all its"
                        + " memory locked for DMA, so it could never start");
        DomainRequest fits = new DomainRequest("gpu-compute", "big", "kvm", null, "400GiB", null, List.of(PciAddress.parse("0000:41:00.0")),
                List.of(), List.of(), true, null, false, Map.of());
        assertThat(generate(epyc, fits).domain().memory.value).isEqualTo(400L * 1024 * 1024);
        // no VFIO device: nothing is locked, and libvirt over-commits such a guest as the admin chose
        DomainRequest plain = new DomainRequest("gpu-compute", "plain", "kvm", null, "600GiB", null, List.of(), List.of(), List.of(),
                true, null, false, Map.of());
        assertThat(generate(epyc, plain).domain().memory.value).isEqualTo(600L * 1024 * 1024);
    }

    @Test
    void aMemorySizePastWhatALongHoldsIsRefusedInsteadOfWrappingRound() {
        // 2^34 TiB is 2^64 KiB: the product wrapped to 0 and read "is below 64MiB"
        assertThatThrownBy(() -> MemorySize.parseKib("17179869184TiB")).hasMessage("memory 17179869184TiB is larger than any host's");
        assertThatThrownBy(() -> MemorySize.parseKib("99999999999999999999")).hasMessage("memory 99999999999999999999 is larger than any host's");
        assertThat(MemorySize.parseKib("8TiB")).isEqualTo(8L << 30);
        assertThat(MemorySize.describe(528482304L)).isEqualTo("504GiB");
        assertThat(MemorySize.describe(1536L * 1024 * 1024)).isEqualTo("1.5TiB");
        assertThat(MemorySize.describe(512L * 1024)).isEqualTo("512MiB");
    }

    @Test
    void refusesInvalidNamesValuesAndParameters() {
        assertThatThrownBy(() -> generate(epyc, request("gpu-compute", "a/b", List.of(), List.of(), List.of())))
                .hasMessageContaining("'/'");
        assertThatThrownBy(() -> generate(epyc, request("gpu-compute", " ", List.of(), List.of(), List.of())))
                .hasMessageContaining("name is needed");
        assertThatThrownBy(() -> generate(epyc, request("sriov-nfv", "x", List.of(), List.of("ens1f0np0,mac=01:00:00:00:00:01"), List.of())))
                .hasMessageContaining("multicast");
        assertThatThrownBy(() -> generate(epyc, request("sriov-nfv", "x", List.of(), List.of("ens1f0np0,vlan=5000"), List.of())))
                .hasMessageContaining("0-4095");
        assertThatThrownBy(() -> generate(epyc, request("sriov-nfv", "x", List.of(), List.of("ens1f1np1"), List.of())))
                .isInstanceOf(RequestRefused.class).hasMessageContaining("no VFs enabled");
        assertThatThrownBy(() -> generate(epyc, request("vgpu-desktop", "x", List.of(), List.of(), List.of("not-a-uuid"))))
                .hasMessageContaining("not an mdev UUID");
        assertThatThrownBy(() -> VfRequest.parse("ens1f0np0,speed=10"))
                .hasMessageContaining("unknown 'speed=10'");
        DomainRequest badParam = new DomainRequest("gpu-compute", "x", "kvm", null, null, null, List.of(), List.of(), List.of(),
                false, null, false, Map.of("colour", "blue"));
        assertThatThrownBy(() -> generate(epyc, badParam)).hasMessageContaining("no parameter 'colour'");
        DomainRequest badMemory = new DomainRequest("gpu-compute", "x", "kvm", null, "lots", null, List.of(), List.of(), List.of(),
                false, null, false, Map.of());
        assertThatThrownBy(() -> generate(epyc, badMemory)).hasMessageContaining("not a memory size");
        assertThatThrownBy(() -> CATALOGUE.get("nope")).hasMessageContaining("unknown template 'nope'");
    }

    @Test
    void everyBuiltinTemplateDocumentsItsParameters() {
        assertThat(CATALOGUE.all()).extracting(Template::name)
                .containsExactly("gpu-compute", "gpu-workstation", "sriov-nfv", "vgpu-desktop");
        for (Template t : CATALOGUE.all()) {
            assertThat(t.summary()).isNotBlank();
            assertThat(t.parameters()).allMatch(p -> !p.doc().isBlank());
            assertThat(t.parameter("vcpus")).isPresent();
            assertThat(t.parameter("memory")).isPresent();
        }
    }
}
