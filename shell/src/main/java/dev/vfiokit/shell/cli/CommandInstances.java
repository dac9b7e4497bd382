package dev.vfiokit.shell.cli;

/** The object a command's method is called on, by the bean name its {@link CommandSpec} was listed under. */
@FunctionalInterface
public interface CommandInstances {
    Object of(String beanName);
}
