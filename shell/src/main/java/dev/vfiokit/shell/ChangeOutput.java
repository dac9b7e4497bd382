package dev.vfiokit.shell;

import dev.vfiokit.shell.usecase.HostChanges;
import dev.vfiokit.vfio.Operation;
import dev.vfiokit.vfio.Step;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How every host-changing command (bind, VFs, mdevs, persistence) selects a host it may change and prints what it
 * planned or did: the plan, notes, the runner's log, and the undo command for this host; or the same as JSON.
 */
final class ChangeOutput {
    private final HostSelection hosts;

    ChangeOutput(HostSelection hosts) {
        this.hosts = hosts;
    }

    HostSelection.Selected writable(String host, String root, boolean dryRun) {
        HostSelection.Selected h = hosts.select(host, root);
        new HostChanges(h.target()).requireChangeable(dryRun);
        return h;
    }

    static CommandOutput run(Operation op, HostSelection.Selected h, boolean dryRun, boolean json, List<String> extraNotes) {
        List<String> notes = new ArrayList<>(extraNotes);
        String journalId = null;
        List<String> log = List.of();
        if (!dryRun) {
            HostChanges.Applied done = new HostChanges(h.target()).apply(op);
            journalId = done.journalId();
            log = done.log();
        }
        if (json) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("summary", op.summary());
            m.put("dryRun", dryRun);
            // whether the plan changes the host at all (checks alone do not): automation's "changed"
            m.put("changes", op.steps().stream().anyMatch(s -> !(s instanceof Step.Check)));
            m.put("steps", op.steps().stream().map(ChangeOutput::stepJson).toList());
            List<String> all = new ArrayList<>(op.notes());
            all.addAll(notes);
            m.put("notes", all);
            m.put("journal", journalId);
            m.put("log", log);
            return CommandOutput.ok(Json.write(m));
        }
        StringBuilder sb = new StringBuilder(dryRun ? "plan (dry run, nothing changed): " : "").append(op.describe());
        notes.forEach(n -> sb.append("note: ").append(n).append('\n'));
        if (!dryRun) {
            log.forEach(l -> sb.append(l).append('\n'));
            sb.append(op.steps().isEmpty() ? "nothing to do\n" : "done; journal " + journalId + " (vfiokit undo --id " + journalId + ScriptWords.options(h.target()) + ")\n");
        }
        return CommandOutput.ok(sb.toString());
    }

    private static Map<String, Object> stepJson(Step s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("file", s.file());
        m.put("value", s.value());
        m.put("expect", s.expect().text());
        m.put("why", s.why());
        return m;
    }

}
