package dev.vfiokit.shell.cli;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The prompt completes this option's value with the completion bean of this name ({@code pciAddresses},
 * {@code domainNames}, ...). vfiokit's own annotation: Spring Shell 4 completes per command, not per option.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.PARAMETER)
public @interface CompletedWith {
    String value();
}
