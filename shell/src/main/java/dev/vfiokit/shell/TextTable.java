package dev.vfiokit.shell;

import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/** A plain text table: columns padded to their widest cell; a cell may be coloured after padding. */
public final class TextTable {
    private final List<String> headers;
    private final List<List<String>> rows = new ArrayList<>();
    private final List<List<UnaryOperator<String>>> styles = new ArrayList<>();

    public TextTable(String... headers) {
        this.headers = List.of(headers);
    }

    public TextTable row(String... cells) {
        return styledRow(null, cells);
    }

    /** A row whose first cell is styled (e.g. a coloured severity). */
    public TextTable styledRow(UnaryOperator<String> firstCellStyle, String... cells) {
        rows.add(List.of(cells));
        List<UnaryOperator<String>> s = new ArrayList<>();
        s.add(firstCellStyle == null ? UnaryOperator.identity() : firstCellStyle);
        styles.add(s);
        return this;
    }

    public String render() {
        int[] w = new int[headers.size()];
        for (int i = 0; i < w.length; i++) {
            w[i] = headers.get(i).length();
        }
        for (List<String> r : rows) {
            for (int i = 0; i < w.length && i < r.size(); i++) {
                w[i] = Math.max(w[i], r.get(i).length());
            }
        }
        StringBuilder sb = new StringBuilder();
        line(sb, headers, w, List.of());
        for (int i = 0; i < rows.size(); i++) {
            line(sb, rows.get(i), w, styles.get(i));
        }
        return sb.toString();
    }

    private static void line(StringBuilder sb, List<String> cells, int[] w, List<UnaryOperator<String>> style) {
        StringBuilder l = new StringBuilder();
        for (int i = 0; i < w.length; i++) {
            String c = i < cells.size() ? cells.get(i) : "";
            boolean last = i == w.length - 1;
            String padded = last ? c : c + " ".repeat(w[i] - c.length() + 2);
            l.append(i < style.size() ? style.get(i).apply(padded) : padded);
        }
        sb.append(l.toString().stripTrailing()).append('\n');
    }
}
