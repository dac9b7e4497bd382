package dev.vfiokit.shell;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Spring Shell keeps one value of an option given twice ({@code --vf a --vf b}); admins expect both. Repeated
 * options are merged into one with all the values ({@code --vf a b}), so multi-value options collect them and
 * single-value options fail loudly instead of silently dropping one.
 */
final class RepeatedOptions {
    private RepeatedOptions() {
    }

    static List<String> merge(List<String> words) {
        List<String> head = new ArrayList<>();
        Map<String, List<String>> options = new LinkedHashMap<>();
        String current = null;
        for (String w : words) {
            if (isOption(w)) {
                current = w;
                options.computeIfAbsent(w, k -> new ArrayList<>());
            } else if (current == null) {
                head.add(w);
            } else {
                options.get(current).add(w);
            }
        }
        List<String> out = new ArrayList<>(head);
        options.forEach((name, values) -> {
            out.add(name);
            out.addAll(values);
        });
        return out;
    }

    /** --name or -o; not a negative number. */
    private static boolean isOption(String w) {
        return w.length() >= 2 && w.charAt(0) == '-' && !Character.isDigit(w.charAt(1));
    }
}
