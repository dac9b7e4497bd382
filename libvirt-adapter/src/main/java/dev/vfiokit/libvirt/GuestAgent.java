package dev.vfiokit.libvirt;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;

/**
 * A running guest's qemu-guest-agent, reached through libvirt (the domain's {@code org.qemu.guest_agent.0} channel):
 * {@code guest-ping} to know it is up, {@code guest-exec} + {@code guest-exec-status} to run a program inside and
 * collect its exit code and output.
 */
public final class GuestAgent {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long POLL_MILLIS = 50;

    private final LibvirtConnection conn;
    private final String domain;

    public GuestAgent(LibvirtConnection conn, String domain) {
        this.conn = conn;
        this.domain = domain;
    }

    /** What a program run in the guest ended with. */
    public record Exec(int exitCode, String stdout, String stderr) {
    }

    /** True once the agent answers {@code guest-ping} (it is not there while the guest boots). */
    public boolean answers() {
        try {
            conn.agentCommand(domain, "{\"execute\":\"guest-ping\"}", 5);
            return true;
        } catch (LibvirtFailure e) {
            return false;
        }
    }

    /** Waits until the agent answers; false when {@code within} passed first. */
    public boolean awaitAnswer(Duration within) {
        long end = System.nanoTime() + within.toNanos();
        while (true) {
            if (answers()) {
                return true;
            }
            if (System.nanoTime() > end) {
                return false;
            }
            sleep(500);
        }
    }

    /**
     * Runs {@code argv} in the guest (no shell unless argv names one), stdin empty, and waits up to {@code timeout}
     * for it to end; longer and it is left running there and this fails.
     */
    public Exec run(List<String> argv, Duration timeout) {
        ObjectNode cmd = JSON.createObjectNode().put("execute", "guest-exec");
        ObjectNode args = cmd.putObject("arguments").put("path", argv.get(0)).put("capture-output", true);
        ArrayNode arg = args.putArray("arg");
        argv.subList(1, argv.size()).forEach(arg::add);
        long pid = reply(conn.agentCommand(domain, cmd.toString(), 10)).path("pid").asLong(-1);
        if (pid < 0) {
            throw new LibvirtFailure("the guest agent of " + domain + " started no process for " + argv.get(0), -1);
        }
        String status = "{\"execute\":\"guest-exec-status\",\"arguments\":{\"pid\":" + pid + "}}";
        long end = System.nanoTime() + timeout.toNanos();
        while (true) {
            JsonNode r = reply(conn.agentCommand(domain, status, 10));
            if (r.path("exited").asBoolean(false)) {
                // a program ended by a signal has "signal" and no "exitcode": 128 + signal, as a shell says it
                int code = r.has("exitcode") ? r.get("exitcode").asInt() : 128 + r.path("signal").asInt(0);
                return new Exec(code, decode(r.path("out-data")), decode(r.path("err-data")));
            }
            if (System.nanoTime() > end) {
                throw new LibvirtFailure(argv.get(0) + " in " + domain + " did not end within " + timeout.toSeconds()
                        + " s (left running in the guest, pid " + pid + ")", -1);
            }
            sleep(POLL_MILLIS);
        }
    }

    private JsonNode reply(String text) {
        try {
            JsonNode n = JSON.readTree(text);
            if (n.has("error")) {
                throw new LibvirtFailure("the guest agent of " + domain + ": " + n.path("error").path("desc").asText("error"), -1);
            }
            return n.path("return");
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new LibvirtFailure("the guest agent of " + domain + " answered what is not JSON", -1);
        }
    }

    private static String decode(JsonNode base64) {
        return base64.isTextual() ? new String(Base64.getDecoder().decode(base64.asText()), StandardCharsets.UTF_8) : "";
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LibvirtFailure("interrupted", -1);
        }
    }
}
