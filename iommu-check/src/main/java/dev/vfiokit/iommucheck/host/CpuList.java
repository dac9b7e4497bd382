package dev.vfiokit.iommucheck.host;

import java.util.ArrayList;
import java.util.List;

/** The kernel's CPU list format ("0-15,32-47"), parsed and written. */
public final class CpuList {
    private CpuList() {
    }

    public static List<Integer> parse(String text) {
        List<Integer> cpus = new ArrayList<>();
        if (text == null || text.isBlank()) {
            return cpus;
        }
        for (String part : text.strip().split(",")) {
            String p = part.strip();
            if (p.isEmpty()) {
                continue;
            }
            int dash = p.indexOf('-');
            try {
                if (dash < 0) {
                    cpus.add(Integer.parseInt(p));
                } else {
                    int from = Integer.parseInt(p.substring(0, dash));
                    int to = Integer.parseInt(p.substring(dash + 1));
                    for (int c = from; c <= to; c++) {
                        cpus.add(c);
                    }
                }
            } catch (NumberFormatException e) {
                // a malformed entry is skipped: the rest of the list is still true
            }
        }
        return cpus;
    }

    public static String format(List<Integer> cpus) {
        StringBuilder sb = new StringBuilder();
        int i = 0;
        List<Integer> sorted = cpus.stream().sorted().distinct().toList();
        while (i < sorted.size()) {
            int j = i;
            while (j + 1 < sorted.size() && sorted.get(j + 1) == sorted.get(j) + 1) {
                j++;
            }
            if (sb.length() > 0) {
                sb.append(',');
            }
            sb.append(sorted.get(i));
            if (j > i) {
                sb.append('-').append(sorted.get(j));
            }
            i = j + 1;
        }
        return sb.toString();
    }
}
