package dev.vfiokit.shell;

import dev.vfiokit.shell.usecase.PerHost;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * A reporting command over several {@code --connect} hosts at once: each host read in parallel within the timeout,
 * reported under its URI; a host that fails or does not answer is reported as such (exit 69 at least) and never
 * holds back the others.
 */
final class ManyHosts {
    /** One host's report: its JSON model, its text (made only when printed), its exit code. */
    record HostReport(Object json, java.util.function.Supplier<String> text, int exitCode) {
    }

    private ManyHosts() {
    }

    /** The URIs of {@code --connect} (repeated, or comma/space separated), each once, in order. */
    static List<String> uris(String[] connect) {
        LinkedHashSet<String> out = new LinkedHashSet<>();
        if (connect != null) {
            for (String c : connect) {
                if (c != null) {
                    for (String u : c.split("[,\\s]+")) {
                        if (!u.isBlank()) {
                            out.add(u);
                        }
                    }
                }
            }
        }
        return new ArrayList<>(out);
    }

    /** The single --connect URI, or null: commands that read one host take it as before. */
    static String single(List<String> uris) {
        return uris.isEmpty() ? null : uris.get(0);
    }

    /**
     * A reporting command's output: the one host selected as ever, or each of several --connect hosts in parallel
     * ({@link #report}); {@code --timeout} bounds a --connect host either way.
     */
    static CommandOutput each(HostSelection hosts, String host, String root, String[] connects, String timeout, boolean json,
                              Function<HostSelection.Selected, HostReport> report) {
        return each(hosts, host, root, connects, timeout, json, HostSelection.Extent.WHOLE, report);
    }

    /** The same, reading each host only as far as {@code extent}. */
    static CommandOutput each(HostSelection hosts, String host, String root, String[] connects, String timeout, boolean json,
                              HostSelection.Extent extent, Function<HostSelection.Selected, HostReport> report) {
        List<String> uris = uris(connects);
        Duration wait = PerHost.timeout(timeout);
        if (uris.size() > 1) {
            if (host != null || root != null) {
                throw new IllegalArgumentException("several --connect hosts take neither --host nor --root");
            }
            return report(uris, wait, json, uri -> report.apply(hosts.select(null, null, uri, wait, extent)));
        }
        HostReport r = report.apply(hosts.select(host, root, single(uris), timeout == null ? null : wait, extent));
        return new CommandOutput(json ? Json.write(r.json()) : r.text().get(), r.exitCode());
    }

    static CommandOutput report(List<String> uris, Duration timeout, boolean json, Function<String, HostReport> work) {
        for (String u : uris) {
            dev.vfiokit.libvirt.LibvirtUri.parse(u);   // a malformed URI is a usage error before any host is tried
        }
        Map<String, PerHost.Outcome<HostReport>> all = PerHost.run(uris, timeout, work);
        int code = ExitStatus.OK;
        List<Object> hosts = new ArrayList<>();
        StringBuilder text = new StringBuilder();
        for (PerHost.Outcome<HostReport> o : all.values()) {
            Map<String, Object> h = new LinkedHashMap<>();
            h.put("uri", o.host());
            text.append("== ").append(o.host()).append('\n');
            if (o.ok()) {
                h.put("exitCode", o.value().exitCode());
                h.put("report", o.value().json());
                if (!json) {
                    text.append(o.value().text().get());
                }
                code = Math.max(code, o.value().exitCode());
            } else {
                h.put("exitCode", ExitStatus.UNAVAILABLE);
                h.put("error", o.failure());
                text.append("not reached: ").append(o.failure()).append('\n');
                code = Math.max(code, ExitStatus.UNAVAILABLE);
            }
            if (!text.isEmpty() && text.charAt(text.length() - 1) != '\n') {
                text.append('\n');
            }
            hosts.add(h);
        }
        long reached = all.values().stream().filter(PerHost.Outcome::ok).count();
        if (json) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("hosts", hosts);
            m.put("reached", reached);
            m.put("notReached", all.size() - reached);
            m.put("exitCode", code);
            return new CommandOutput(Json.write(m), code);
        }
        text.append(reached).append(" of ").append(all.size()).append(" hosts reached\n");
        return new CommandOutput(text.toString(), code);
    }
}
