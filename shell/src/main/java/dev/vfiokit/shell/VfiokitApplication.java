package dev.vfiokit.shell;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Import;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * vfiokit: one command (or a script) and exit when given arguments, the interactive prompt when not. The exit code
 * is the command's (see {@link ExitStatus}), never Spring's. Only the prompt starts Spring Boot (Spring Shell's line
 * reader, completion, history); a one-shot command runs with the same beans made by their constructors ({@link OneShotBeans}).
 */
@SpringBootConfiguration(proxyBeanMethods = false)
@EnableAutoConfiguration
@Import({CommandBeans.class, PromptConfiguration.class, Completions.class, InteractivePrompt.class})
public class VfiokitApplication {

    public static void main(String[] args) {
        if (args.length == 1 && (args[0].equals("--version") || args[0].equals("-V"))) {
            // answered before Spring starts: scripts ask this often, and it needs nothing else
            System.out.println("vfiokit " + dev.vfiokit.iommucheck.BuildInfo.versionLine());
            System.exit(ExitStatus.OK);
        }
        if (args.length >= 1 && (args[0].equals("--help") || args[0].equals("-h"))) {
            String[] help = new String[args.length];
            help[0] = "help";
            System.arraycopy(args, 1, help, 1, args.length - 1);
            args = help;
        }
        if (args.length > 0) {
            System.exit(oneShot(List.of(args)));
        }
        SpringApplication app = new SpringApplication(VfiokitApplication.class);
        Map<String, Object> props = new HashMap<>();
        // history lives in the user's state directory (0700, the file 0600), never in the working directory
        props.put("spring.shell.history.name", StateDirs.state().resolve("history").toString());
        if (!StateDirs.preparePrivateHistory()) {
            props.put("spring.shell.history.enabled", false);
        }
        app.setDefaultProperties(props);
        // Spring Boot would turn "--x=y" arguments into properties; vfiokit's arguments are the command's alone
        app.setAddCommandLineProperties(false);
        int code;
        try (ConfigurableApplicationContext ctx = app.run(args)) {
            code = ctx.getBean(ExitStatus.class).code();
        } catch (RuntimeException e) {
            System.err.println("vfiokit: internal error: " + ErrorMessages.oneLine(e) + ErrorMessages.traceNote(e));
            code = ExitStatus.INTERNAL;
        }
        System.out.flush();
        System.exit(code);
    }

    private static int oneShot(List<String> args) {
        int code;
        try {
            code = OneShotBeans.commands().get(VfiokitRunner.class).run(args);
        } catch (RuntimeException e) {
            System.err.println("vfiokit: internal error: " + ErrorMessages.oneLine(e) + ErrorMessages.traceNote(e));
            code = ExitStatus.INTERNAL;
        }
        System.out.flush();
        return code;
    }
}
