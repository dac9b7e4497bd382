package dev.vfiokit.vfio;

import java.util.List;

/**
 * A planned change: its steps, and the host's state before it (devices' drivers, files, SR-IOV settings),
 * which is what rollback and undo restore.
 */
public record Operation(Kind kind, String summary, List<Step> steps, List<DeviceState> devices, List<FileState> files,
                        List<SriovState> sriov, List<MdevState> mdevs, List<String> notes, List<VgpuState> vgpus) {
    /** What an operation does; written in the journal (and its entry ids) as the words it has always used. */
    public enum Kind {
        BIND("bind"), UNBIND("unbind"), PERSIST_REMOVE("persist-remove"), VF_CREATE("vf-create"), VF_REMOVE("vf-remove"),
        MDEV_CREATE("mdev-create"), MDEV_REMOVE("mdev-remove"), MDEV_PERSIST_REMOVE("mdev-persist-remove"),
        VGPU_CREATE("vgpu-create"), VGPU_REMOVE("vgpu-remove");

        private final String word;

        Kind(String word) {
            this.word = word;
        }

        @com.fasterxml.jackson.annotation.JsonValue
        public String word() {
            return word;
        }

        @com.fasterxml.jackson.annotation.JsonCreator
        public static Kind of(String word) {
            for (Kind k : values()) {
                if (k.word.equals(word)) {
                    return k;
                }
            }
            throw new IllegalArgumentException("unknown operation kind '" + word + "'");
        }

        @Override
        public String toString() {
            return word;
        }
    }

    public Operation {
        steps = List.copyOf(steps);
        devices = List.copyOf(devices);
        files = List.copyOf(files);
        sriov = List.copyOf(sriov);
        mdevs = mdevs == null ? List.of() : List.copyOf(mdevs);
        notes = List.copyOf(notes);
        // journals written before vGPU types were journaled have no vgpus
        vgpus = vgpus == null ? List.of() : List.copyOf(vgpus);
    }

    /** An operation that sets no vendor vGPU type. */
    public Operation(Kind kind, String summary, List<Step> steps, List<DeviceState> devices, List<FileState> files,
                     List<SriovState> sriov, List<MdevState> mdevs, List<String> notes) {
        this(kind, summary, steps, devices, files, sriov, mdevs, notes, List.of());
    }

    /** The plan as --dry-run prints it. */
    public String describe() {
        StringBuilder sb = new StringBuilder(summary).append('\n');
        for (int i = 0; i < steps.size(); i++) {
            sb.append(String.format("%3d. %s%n", i + 1, steps.get(i).describe()));
        }
        notes.forEach(n -> sb.append("note: ").append(n).append('\n'));
        return sb.toString();
    }
}
