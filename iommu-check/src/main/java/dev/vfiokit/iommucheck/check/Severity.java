package dev.vfiokit.iommucheck.check;

/** How bad a finding is. SKIP: the check did not apply (it never changes the exit code). */
public enum Severity {
    PASS, SKIP, WARN, FAIL
}
