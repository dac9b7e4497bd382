package dev.vfiokit.tuning.loss;

/** The workload did not run, or did not end well, on one side: the user's to mend (its program, the guest's tools). */
public class WorkloadFailed extends RuntimeException {
    public WorkloadFailed(String message) {
        super(message);
    }
}
