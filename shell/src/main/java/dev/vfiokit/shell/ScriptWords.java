package dev.vfiokit.shell;

import java.util.ArrayList;
import java.util.List;

/** Splits a script line into words as a shell would: spaces separate, '...' and "..." quote, backslash escapes. */
public final class ScriptWords {
    private ScriptWords() {
    }

    /** Words joined into a line a shell (and {@link #split}) reads back as the same words: quoted where needed. */
    public static String command(String... words) {
        StringBuilder sb = new StringBuilder();
        for (String w : words) {
            sb.append(sb.length() == 0 ? "" : " ").append(quote(w));
        }
        return sb.toString();
    }

    /** A target's options as they follow a command in a hint: " --host demo", " --root '/a b'", or "". */
    public static String options(dev.vfiokit.vfio.HostTarget target) {
        List<String> o = target.options();
        return o.isEmpty() ? "" : " " + command(o.toArray(String[]::new));
    }

    public static String quote(String word) {
        if (!word.isEmpty() && word.matches("[A-Za-z0-9_@%+=:,./-]+")) {
            return word;
        }
        return "'" + word.replace("'", "'\\''") + "'";
    }

    static List<String> split(String line) {
        List<String> words = new ArrayList<>();
        StringBuilder w = new StringBuilder();
        boolean inWord = false;
        char quote = 0;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                } else if (c == '\\' && quote == '"' && i + 1 < line.length()) {
                    w.append(line.charAt(++i));
                } else {
                    w.append(c);
                }
            } else if (c == '\'' || c == '"') {
                quote = c;
                inWord = true;
            } else if (c == '\\' && i + 1 < line.length()) {
                w.append(line.charAt(++i));
                inWord = true;
            } else if (Character.isWhitespace(c)) {
                if (inWord) {
                    words.add(w.toString());
                    w.setLength(0);
                    inWord = false;
                }
            } else {
                w.append(c);
                inWord = true;
            }
        }
        if (quote != 0) {
            throw new IllegalArgumentException("unterminated " + quote + " quote");
        }
        if (inWord) {
            words.add(w.toString());
        }
        return words;
    }
}
