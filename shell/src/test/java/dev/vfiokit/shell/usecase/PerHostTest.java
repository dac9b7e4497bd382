package dev.vfiokit.shell.usecase;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PerHostTest {
    @Test
    void aSilentHostIsReportedAtTheDeadlineAndTheOthersAreNotHeldBack() {
        CountDownLatch never = new CountDownLatch(1);
        Map<String, PerHost.Outcome<String>> out = PerHost.run(List.of("a", "silent", "b", "broken"), Duration.ofMillis(200), h -> {
            switch (h) {
                case "silent" -> {
                    try {
                        never.await();   // a libvirt open blocked in an ssh handshake
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    return "late";
                }
                case "broken" -> throw new IllegalStateException("cannot connect to qemu+ssh://broken/system: Connection refused");
                default -> {
                    return "report of " + h;
                }
            }
        });
        assertThat(out.keySet()).containsExactly("a", "silent", "b", "broken");
        assertThat(out.get("a").value()).isEqualTo("report of a");
        assertThat(out.get("b").value()).isEqualTo("report of b");
        assertThat(out.get("silent").ok()).isFalse();
        assertThat(out.get("silent").failure()).startsWith("no answer within 0 s");
        assertThat(out.get("broken").failure()).isEqualTo("cannot connect to qemu+ssh://broken/system: Connection refused");
    }

    @Test
    void theTimeoutOptionIsWholeSecondsWithinBounds() {
        assertThat(PerHost.timeout(null)).isEqualTo(Duration.ofSeconds(PerHost.DEFAULT_TIMEOUT_S));
        assertThat(PerHost.timeout("5")).isEqualTo(Duration.ofSeconds(5));
        assertThatThrownBy(() -> PerHost.timeout("0")).hasMessage("--timeout is whole seconds from 1 to 3600, not '0'");
        assertThatThrownBy(() -> PerHost.timeout("5s")).hasMessage("--timeout is whole seconds from 1 to 3600, not '5s'");
    }
}
