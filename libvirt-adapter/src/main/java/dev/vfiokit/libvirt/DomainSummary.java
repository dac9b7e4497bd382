package dev.vfiokit.libvirt;

/** A domain as listed: name, UUID, run state, persistent or transient. */
public record DomainSummary(String name, String uuid, State state, boolean persistent) {
    /** libvirt's domain states, written as virsh writes them. */
    public enum State {
        RUNNING("running"), BLOCKED("blocked"), PAUSED("paused"), SHUTTING_DOWN("shutting down"), SHUT_OFF("shut off"),
        CRASHED("crashed"), SUSPENDED("suspended"), UNKNOWN("unknown");

        private final String word;

        State(String word) {
            this.word = word;
        }

        public String word() {
            return word;
        }

        /** Running or paused: the guest holds its devices and memory. */
        public boolean active() {
            return this == RUNNING || this == PAUSED || this == BLOCKED;
        }

        @Override
        public String toString() {
            return word;
        }
    }

    public boolean running() {
        return state == State.RUNNING;
    }
}
