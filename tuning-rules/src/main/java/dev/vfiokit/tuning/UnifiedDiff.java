package dev.vfiokit.tuning;

import com.github.difflib.DiffUtils;
import com.github.difflib.UnifiedDiffUtils;
import com.github.difflib.patch.Patch;

import java.util.Arrays;
import java.util.List;

/** A unified diff of two texts with 3 lines of context, as diff -u prints it (java-diff-utils). */
public final class UnifiedDiff {
    private UnifiedDiff() {
    }

    /** The diff, or "" when the texts are the same. */
    public static String of(String before, String after, String fromName, String toName) {
        List<String> a = Arrays.asList(before.split("\n", -1));
        List<String> b = Arrays.asList(after.split("\n", -1));
        Patch<String> patch = DiffUtils.diff(a, b);
        if (patch.getDeltas().isEmpty()) {
            return "";
        }
        StringBuilder out = new StringBuilder();
        for (String line : UnifiedDiffUtils.generateUnifiedDiff(fromName, toName, a, patch, 3)) {
            out.append(line).append('\n');
        }
        return out.toString();
    }
}
