package dev.vfiokit.shell.cli;

import java.util.Map;
import java.util.TreeMap;

/** What {@code help} prints: every command by group, or one command's synopsis and options. */
public final class HelpText {
    public static final String BUILT_IN = "Built-In Commands";

    private HelpText() {
    }

    /** The command list; {@code builtIns} are the prompt's own words (clear, history, exit), name to description. */
    public static String list(CommandCatalog catalog, Map<String, String> builtIns) {
        Map<String, Map<String, String>> groups = new TreeMap<>();
        builtIns.forEach((name, text) -> groups.computeIfAbsent(BUILT_IN, g -> new TreeMap<>()).put(name, text));
        for (CommandSpec c : catalog.all()) {
            groups.computeIfAbsent(c.group().isEmpty() ? BUILT_IN : c.group(), g -> new TreeMap<>()).put(c.name(), c.description());
        }
        StringBuilder sb = new StringBuilder("AVAILABLE COMMANDS\n");
        groups.forEach((group, commands) -> {
            sb.append('\n').append(group).append('\n');
            commands.forEach((name, text) -> sb.append("       ").append(name).append(": ").append(text).append('\n'));
        });
        return sb.toString();
    }

    public static String of(CommandSpec c) {
        StringBuilder sb = new StringBuilder("NAME\n       ").append(c.name()).append(" - ").append(c.description())
                .append("\n\nSYNOPSIS\n       ").append(c.name());
        for (OptionSpec o : c.options()) {
            String one = "--" + o.longName() + (o.flag() ? "" : " " + o.typeName());
            sb.append(' ').append(o.required() ? one : "[" + one + "]");
        }
        sb.append(" [--help]\n\nOPTIONS\n");
        for (OptionSpec o : c.options()) {
            sb.append("       --").append(o.longName()).append(o.hasShortName() ? " or -" + o.shortName() : "")
                    .append(' ').append(o.typeName()).append("\n       ").append(o.description()).append("\n       [")
                    .append(o.required() ? "Mandatory" : "Optional")
                    .append(o.defaultValue().isEmpty() ? o.flag() ? ", default = false" : "" : ", default = " + o.defaultValue())
                    .append("]\n\n");
        }
        sb.append("       --help or -h\n       help for ").append(c.name()).append("\n       [Optional]\n");
        return sb.toString();
    }
}
