package dev.vfiokit.shell;

import dev.vfiokit.tuning.loss.DeviceKind;
import dev.vfiokit.tuning.loss.LossCause;
import dev.vfiokit.tuning.loss.LossMeasurement;
import dev.vfiokit.tuning.loss.Samples;
import dev.vfiokit.tuning.loss.Workload;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LossResultsTest {
    @TempDir
    Path dir;

    @Test
    void aSavedResultReadsBackAsTheSameMeasurement() {
        LossMeasurement m = new LossMeasurement("trainer-01", "qemu:///system", "2026-12-03T10:00:00Z", Workload.builtin("storage", 64, "/var/tmp"),
                1, new Samples(List.of(1.0, 1.1, 0.9)), new Samples(List.of(1.2, 1.3, 1.25)), DeviceKind.PASSTHROUGH, "kvm", "compute-headless",
                List.of(new LossCause("storage", "not done: …", "disk-iothread", "vfiokit tune", List.of("storage"), "high"),
                        new LossCause("pcie-link", "x8 of x16", null, "reseat", List.of("device"), "high")));
        Path saved = LossResults.save(m, dir.resolve("r.json").toString());
        assertThat(LossResults.read(saved)).isEqualTo(m);
        String json = Json.write(LossResults.toMap(m));
        assertThat(json.replace(" : ", ": ")).contains("\"lossPercent\": 25.0", "\"verdict\": \"above\"", "\"throughput\": 64.0", "\"rule\": null");
        String text = LossCommands.render(m);
        assertThat(text).contains("loss 25.00%", "above the passthrough band (< 3%)", "disk-iothread", "x8 of x16");
    }

    @Test
    void whatIsNotASavedResultIsRefusedInOneLine() throws Exception {
        Path bad = Files.writeString(dir.resolve("bad.json"), "{\"domain\": \"x\"}");
        assertThatThrownBy(() -> LossResults.read(bad)).isInstanceOf(CommandFailure.class).hasMessageContaining("cannot read the loss result");
        Path notJson = Files.writeString(dir.resolve("n.json"), "<xml/>");
        assertThatThrownBy(() -> LossResults.read(notJson)).hasMessageContaining("not JSON");
        assertThatThrownBy(() -> LossResults.locate("no-such-result.json")).hasMessageContaining("no loss result 'no-such-result.json'");
    }
}
