package dev.vfiokit.shell.usecase;

import dev.vfiokit.iommucheck.host.HostSnapshot;
import dev.vfiokit.libvirt.DomainSummary;
import dev.vfiokit.libvirt.GuestAgent;
import dev.vfiokit.libvirt.LibvirtConnection;
import dev.vfiokit.libvirt.LibvirtFailure;
import dev.vfiokit.iommucheck.input.DomainXmlFacts;
import dev.vfiokit.tuning.Profile;
import dev.vfiokit.tuning.RuleCatalogue;
import dev.vfiokit.tuning.Tuner;
import dev.vfiokit.tuning.loss.DeviceKind;
import dev.vfiokit.tuning.loss.LossCauses;
import dev.vfiokit.tuning.loss.LossMeasurement;
import dev.vfiokit.tuning.loss.Samples;
import dev.vfiokit.tuning.loss.TimedRun;
import dev.vfiokit.tuning.loss.Workload;
import dev.vfiokit.tuning.loss.WorkloadFailed;
import dev.vfiokit.vfio.HostCommands;
import dev.vfiokit.vfio.VfioFailure;
import org.w3c.dom.Element;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Runs one workload on this host and inside a guest, alternately, and joins the times with the causes vfiokit sees.
 * The guest is reached through its qemu-guest-agent (guest-exec); a guest that is shut off is started and, unless
 * asked to keep it, shut down again afterwards. Nothing of the domain's definition is changed.
 */
public final class MeasureLoss {
    /** What becomes of a guest this measurement started. */
    public enum After {
        KEEP, SHUTDOWN, DESTROY;

        public static After of(String word) {
            return switch (word == null ? "shutdown" : word) {
                case "keep" -> KEEP;
                case "shutdown" -> SHUTDOWN;
                case "destroy" -> DESTROY;
                default -> throw new IllegalArgumentException("--after '" + word + "': give keep, shutdown or destroy");
            };
        }
    }

    /**
     * One measurement asked for; {@code profile} null: {@link LossCauses#defaultProfile} of the domain. Counts and
     * timeouts are checked here, the one place, before anything is opened or run.
     */
    public record Request(String domain, Workload workload, int repeat, int warmup, Duration bootTimeout, Duration runTimeout,
                          After after, String profile) {
        public Request {
            within("--repeat", repeat, 1, 1000);
            within("--warmup", warmup, 0, 100);
            within("--boot-timeout", bootTimeout.toSeconds(), 1, 3600);
            within("--run-timeout", runTimeout.toSeconds(), 1, 86_400);
        }

        private static void within(String option, long value, long min, long max) {
            if (value < min || value > max) {
                throw new IllegalArgumentException(option + " '" + value + "': give a whole number from " + min + " to " + max);
            }
        }
    }

    /** Refusals that are the user's to mend, before anything ran: exit 65. */
    public static final class Refused extends WorkloadFailed {
        public Refused(String message) {
            super(message);
        }
    }

    private static final String AGENT_CHANNEL = "org.qemu.guest_agent.0";
    private static final Duration SHUTDOWN_WAIT = Duration.ofSeconds(60);

    private final LibvirtConnection conn;
    private final HostSnapshot host;
    private final HostCommands commands;
    private final RuleCatalogue rules;
    private final List<String> target;
    private final Consumer<String> progress;

    /** @param target the options that name this libvirt again ({@code --connect URI}), for the printed fixes */
    public MeasureLoss(LibvirtConnection conn, HostSnapshot host, HostCommands commands, RuleCatalogue rules, List<String> target,
                       Consumer<String> progress) {
        this.conn = conn;
        this.host = host;
        this.commands = commands;
        this.rules = rules;
        this.target = List.copyOf(target);
        this.progress = progress;
    }

    /** What {@link #measure} would do, in lines, doing none of it. */
    public List<String> plan(Request r) {
        Element domain = checked(r.domain());
        DomainSummary.State state = conn.state(r.domain());
        List<String> out = new ArrayList<>();
        if (state == DomainSummary.State.SHUT_OFF) {
            out.add("would start " + r.domain() + " (shut off) and wait up to " + r.bootTimeout().toSeconds() + " s for its guest agent");
        } else {
            out.add(r.domain() + " is " + state.word() + ": would use it as it runs");
        }
        out.add("would run on this host and in the guest, alternately, " + r.warmup() + " warm-up + " + r.repeat() + " measured runs each: "
                + r.workload().description());
        out.add("command on both sides: " + String.join(" ", r.workload().command()));
        if (state == DomainSummary.State.SHUT_OFF) {
            out.add(switch (r.after()) {
                case KEEP -> "would leave " + r.domain() + " running";
                case SHUTDOWN -> "would shut " + r.domain() + " down again (ACPI, forced after " + SHUTDOWN_WAIT.toSeconds() + " s)";
                case DESTROY -> "would destroy (power off) " + r.domain() + " again";
            });
        }
        out.add("domain type " + domain.getAttribute("type") + ", device kind " + DeviceKind.of(domain, host).word()
                + ", causes against profile " + profile(r, domain).name());
        return out;
    }

    public LossMeasurement measure(Request r) {
        checked(r.domain());
        DomainSummary.State state = conn.state(r.domain());
        if (state == DomainSummary.State.PAUSED) {
            throw new Refused(r.domain() + " is paused: resume it (virsh resume " + r.domain() + ") or shut it off first");
        }
        boolean started = false;
        if (state == DomainSummary.State.SHUT_OFF) {
            progress.accept("starting " + r.domain());
            conn.start(r.domain());
            started = true;
        } else if (!state.active()) {
            throw new Refused(r.domain() + " is " + state.word() + ": start it or shut it off first");
        }
        try {
            GuestAgent agent = new GuestAgent(conn, r.domain());
            if (!agent.awaitAnswer(r.bootTimeout())) {
                throw new LibvirtFailure("the guest agent of " + r.domain() + " did not answer within " + r.bootTimeout().toSeconds()
                        + " s: is qemu-guest-agent installed and running in the guest? (--boot-timeout to wait longer)", -1);
            }
            String live = conn.dumpXml(r.domain(), false);
            Element running = parse(live);
            Profile profile = profile(r, running);
            List<String> argv = r.workload().timedArgv();
            for (int i = 0; i < r.warmup(); i++) {
                hostRun(argv, r);
                guestRun(agent, argv, r);
                progress.accept("warm-up " + (i + 1) + "/" + r.warmup() + " done");
            }
            List<Double> onHost = new ArrayList<>();
            List<Double> inGuest = new ArrayList<>();
            for (int i = 0; i < r.repeat(); i++) {
                onHost.add(hostRun(argv, r));
                inGuest.add(guestRun(agent, argv, r));
                progress.accept(String.format("run %d/%d: host %.3f s, guest %.3f s", i + 1, r.repeat(), onHost.get(i), inGuest.get(i)));
            }
            return new LossMeasurement(r.domain(), conn.uri(), OffsetDateTime.now().truncatedTo(ChronoUnit.SECONDS).toString(), r.workload(),
                    r.warmup(), new Samples(onHost), new Samples(inGuest), DeviceKind.of(running, host), running.getAttribute("type"),
                    profile.name(), new LossCauses(new Tuner(rules)).of(live, host, profile, r.workload().name(), tuneCommand(r, profile)));
        } finally {
            if (started) {
                putBack(r);
            }
        }
    }

    private Profile profile(Request r, Element domain) {
        return rules.profile(r.profile() != null ? r.profile() : LossCauses.defaultProfile(domain));
    }

    /** The command that tunes this domain with this profile, on this libvirt: the fix the causes print. */
    private String tuneCommand(Request r, Profile profile) {
        List<String> words = new ArrayList<>(List.of("vfiokit", "tune", "--domain", r.domain(), "--profile", profile.name(), "--apply"));
        words.addAll(target);
        return dev.vfiokit.shell.ScriptWords.command(words.toArray(String[]::new));
    }

    private double hostRun(List<String> argv, Request r) {
        String out;
        try {
            out = commands.run(argv, r.runTimeout());
        } catch (VfioFailure e) {
            throw new WorkloadFailed("the workload did not run on this host: " + e.getMessage());
        }
        return check(TimedRun.parse(out, "this host"), "this host");
    }

    private double guestRun(GuestAgent agent, List<String> argv, Request r) {
        GuestAgent.Exec e = agent.run(argv, r.runTimeout());
        if (e.exitCode() != 0 && !e.stdout().contains("vfiokit-loss ")) {
            throw new WorkloadFailed("the workload did not run in " + r.domain() + " (exit " + e.exitCode() + "): "
                    + e.stderr().strip().lines().reduce((a, b) -> a + "; " + b).orElse("no message"));
        }
        return check(TimedRun.parse(e.stdout(), r.domain()), r.domain());
    }

    private static double check(TimedRun run, String where) {
        if (run.exitCode() != 0) {
            throw new WorkloadFailed("the workload failed on " + where + " (exit " + run.exitCode() + ")"
                    + (run.errors().isEmpty() ? "" : ": " + run.errors()));
        }
        return run.seconds();
    }

    /** The guest as it was: shut off again, as asked; a failure here is said, not thrown over the measurement's own. */
    private void putBack(Request r) {
        try {
            switch (r.after()) {
                case KEEP -> progress.accept("left " + r.domain() + " running (--after keep)");
                case DESTROY -> {
                    conn.stop(r.domain(), true);
                    progress.accept("destroyed " + r.domain() + " (it was shut off before)");
                }
                case SHUTDOWN -> {
                    conn.stop(r.domain(), false);
                    long end = System.nanoTime() + SHUTDOWN_WAIT.toNanos();
                    while (conn.state(r.domain()).active() && System.nanoTime() < end) {
                        Thread.sleep(500);
                    }
                    if (conn.state(r.domain()).active()) {
                        conn.stop(r.domain(), true);
                        progress.accept(r.domain() + " did not shut down within " + SHUTDOWN_WAIT.toSeconds() + " s: destroyed");
                    } else {
                        progress.accept("shut " + r.domain() + " down again (it was shut off before)");
                    }
                }
            }
        } catch (LibvirtFailure e) {
            progress.accept("could not shut " + r.domain() + " off again: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The domain, refused before anything starts where the guest cannot be reached. */
    private Element checked(String name) {
        Element domain = parse(conn.dumpXml(name, false));
        for (Element channel : DomainXmlFacts.devices(domain)) {
            Element target = channel.getTagName().equals("channel") ? DomainXmlFacts.child(channel, "target") : null;
            if (target != null && AGENT_CHANNEL.equals(target.getAttribute("name"))) {
                return domain;
            }
        }
        throw new Refused(name + " has no qemu-guest-agent channel: add <channel type='unix'><target type='virtio' name='"
                + AGENT_CHANNEL + "'/></channel> to its <devices> (virsh edit " + name + ") and install qemu-guest-agent in the guest");
    }

    private static Element parse(String xml) {
        return dev.vfiokit.iommucheck.input.SecureXml.parse(xml, "the domain XML").getDocumentElement();
    }
}
