package dev.vfiokit.shell.cli;

import java.lang.reflect.Method;
import java.util.List;
import java.util.Optional;

/** One command: its words ({@code domain generate}), help group and text, options, and the bean method that runs it. */
public record CommandSpec(String name, String group, String description, List<OptionSpec> options, String beanName,
                          Method method) {
    public CommandSpec {
        options = List.copyOf(options);
    }

    public Optional<OptionSpec> option(String word) {
        return options.stream().filter(o -> o.isCalled(word)).findFirst();
    }
}
