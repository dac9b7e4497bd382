package dev.vfiokit.tuning;

import java.util.ArrayList;
import java.util.List;

/** A unified diff of two texts (longest common subsequence of lines, 3 lines of context), as diff -u prints. */
public final class UnifiedDiff {
    private UnifiedDiff() {
    }

    public static String of(String before, String after, String fromName, String toName) {
        String[] a = before.split("\n", -1);
        String[] b = after.split("\n", -1);
        int[][] lcs = new int[a.length + 1][b.length + 1];
        for (int i = a.length - 1; i >= 0; i--) {
            for (int j = b.length - 1; j >= 0; j--) {
                lcs[i][j] = a[i].equals(b[j]) ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
            }
        }
        record Op(char kind, String line, int ai, int bi) {
        }
        List<Op> ops = new ArrayList<>();
        int i = 0;
        int j = 0;
        while (i < a.length || j < b.length) {
            if (i < a.length && j < b.length && a[i].equals(b[j])) {
                ops.add(new Op(' ', a[i], i++, j++));
            } else if (i < a.length && (j == b.length || lcs[i + 1][j] >= lcs[i][j + 1])) {
                ops.add(new Op('-', a[i], i++, j)); // deletions first, as diff -u prints them
            } else {
                ops.add(new Op('+', b[j], i, j++));
            }
        }
        StringBuilder out = new StringBuilder();
        int k = 0;
        while (k < ops.size()) {
            if (ops.get(k).kind() == ' ') {
                k++;
                continue;
            }
            int start = Math.max(0, k - 3);
            int end = k;
            int lastChange = k;
            while (end < ops.size() && (ops.get(end).kind() != ' ' || end - lastChange <= 6)) {
                if (ops.get(end).kind() != ' ') {
                    lastChange = end;
                }
                end++;
            }
            end = Math.min(ops.size(), lastChange + 4);
            int aStart = ops.get(start).ai();
            int bStart = ops.get(start).bi();
            long aLen = ops.subList(start, end).stream().filter(o -> o.kind() != '+').count();
            long bLen = ops.subList(start, end).stream().filter(o -> o.kind() != '-').count();
            if (out.length() == 0) {
                out.append("--- ").append(fromName).append('\n').append("+++ ").append(toName).append('\n');
            }
            out.append("@@ -").append(aStart + 1).append(',').append(aLen).append(" +").append(bStart + 1).append(',')
                    .append(bLen).append(" @@\n");
            for (Op o : ops.subList(start, end)) {
                out.append(o.kind()).append(o.line()).append('\n');
            }
            k = end;
        }
        return out.toString();
    }
}
