package dev.vfiokit.tests;

import dev.vfiokit.iommucheck.fixture.FixtureHosts;
import dev.vfiokit.iommucheck.host.HostRoot;
import dev.vfiokit.iommucheck.host.HostSnapshot;
import dev.vfiokit.iommucheck.host.HostSnapshotReader;
import dev.vfiokit.tuning.RuleCatalogue;
import dev.vfiokit.tuning.Tuner;
import dev.vfiokit.tuning.TuningResult;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tuning holds on domain XMLs nobody here wrote: libvirt's own test corpus (tests/qemuxml2argvdata of Debian 12's
 * libvirt 9.0.0 source package, fetched once into the cache), every input libvirt's schema accepts, every built-in
 * profile. Each output must pass the schema, be idempotent, keep every disk, interface, hostdev and filesystem, and
 * put no x86-only element on a guest of another architecture.
 */
@Tag("corpus")
class LibvirtCorpusTest {
    private static final String SOURCE = "https://deb.debian.org/debian/pool/main/libv/libvirt/libvirt_9.0.0.orig.tar.xz";
    private static final String RNG = "/usr/share/libvirt/schemas/domain.rng";
    private static final List<String> PROFILES = List.of("compute-headless", "gpu-desktop", "nfv", "balanced");
    private static final List<String> KEPT = List.of("disk", "interface", "hostdev", "filesystem");
    private static final Pattern X86_ONLY = Pattern.compile("<vmport |<hyperv|<ioapic |<timer name=[\"']hpet[\"']|<timer name=[\"']hypervclock[\"']|<hidden ");

    @TempDir
    Path tmp;

    static Path corpus() throws Exception {
        String cache = System.getenv("XDG_CACHE_HOME");
        Path base = (cache != null && !cache.isBlank() ? Path.of(cache) : Path.of(System.getProperty("user.home"), ".cache"))
                .resolve("vfiokit-tests/libvirt-9.0.0-qemuxml2argvdata");
        if (Files.isDirectory(base)) {
            return base;
        }
        Path work = Files.createTempDirectory("libvirt-src");
        Path tar = work.resolve("libvirt.tar.xz");
        HttpResponse<InputStream> r = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL)
                .connectTimeout(Duration.ofSeconds(30)).build()
                .send(HttpRequest.newBuilder(URI.create(SOURCE)).timeout(Duration.ofMinutes(5)).build(), HttpResponse.BodyHandlers.ofInputStream());
        assertThat(r.statusCode()).as(SOURCE).isEqualTo(200);
        try (InputStream in = r.body()) {
            Files.copy(in, tar, StandardCopyOption.REPLACE_EXISTING);
        }
        Process p = new ProcessBuilder("tar", "-xJf", tar.toString(), "-C", work.toString(), "--wildcards",
                "libvirt-9.0.0/tests/qemuxml2argvdata/*.xml").inheritIO().start();
        assertThat(p.waitFor(5, TimeUnit.MINUTES) && p.exitValue() == 0).as("tar -xJf").isTrue();
        Files.createDirectories(base.getParent());
        Files.move(work.resolve("libvirt-9.0.0/tests/qemuxml2argvdata"), base);
        return base;
    }

    /** The files libvirt's schema accepts, by one xmllint run over all of them. */
    static Set<Path> valid(List<Path> files) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("xmllint", "--noout", "--relaxng", RNG));
        files.forEach(f -> cmd.add(f.toString()));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        p.waitFor(10, TimeUnit.MINUTES);
        Set<Path> ok = new LinkedHashSet<>();
        for (String line : out.lines().toList()) {
            if (line.endsWith(" validates")) {
                ok.add(Path.of(line.substring(0, line.length() - " validates".length())));
            }
        }
        return ok;
    }

    private static int count(String xml, String tag) {
        Matcher m = Pattern.compile("<" + tag + "[ >]").matcher(xml);
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }

    /** What an XML writer may change without changing the document: quotes, the declaration, space inside tags. */
    private static String canonical(String xml) {
        return xml.replaceFirst("^<\\?xml[^>]*\\?>\\s*", "").replace("&quot;", "\"").replace("&apos;", "'").replace('"', '\'')
                .replaceAll("\\s+/>", "/>").replaceAll("<([\\w:.-]+)([^>]*)></\\1>", "<$1$2/>").strip();
    }

    private static String firstDifference(String a, String b) {
        int i = 0;
        while (i < a.length() && i < b.length() && a.charAt(i) == b.charAt(i)) {
            i++;
        }
        return "at offset " + i + ": '" + a.substring(i, Math.min(a.length(), i + 40)).replace("\n", "\\n") + "' became '"
                + b.substring(i, Math.min(b.length(), i + 40)).replace("\n", "\\n") + "'";
    }

    /** The tuner writes attributes in the input's order, found by a scan of the text: it must find what a parser does. */
    @Test
    void theAttributeOrderScanFindsWhatASaxParserFindsInEveryDomainOfLibvirtsOwnTests() throws Exception {
        List<Path> all;
        try (var s = Files.list(corpus())) {
            all = s.filter(f -> f.toString().endsWith(".xml")).sorted().toList();
        }
        int compared = 0;
        for (Path f : all) {
            String xml = Files.readString(f);
            try {
                dev.vfiokit.iommucheck.input.SecureXml.parseNamespaced(xml, f.toString());
            } catch (RuntimeException e) {
                continue; // asked only of text the parser accepts
            }
            List<List<String>> sax = new ArrayList<>();
            javax.xml.parsers.SAXParserFactory.newInstance().newSAXParser().parse(new org.xml.sax.InputSource(new java.io.StringReader(xml)),
                    new org.xml.sax.helpers.DefaultHandler() {
                        @Override
                        public void startElement(String uri, String localName, String qName, org.xml.sax.Attributes atts) {
                            List<String> names = new ArrayList<>();
                            for (int i = 0; i < atts.getLength(); i++) {
                                names.add(atts.getQName(i));
                            }
                            sax.add(names);
                        }
                    });
            assertThat(dev.vfiokit.iommucheck.input.SecureXml.attributeOrder(xml)).as(f.getFileName().toString()).isEqualTo(sax);
            compared++;
        }
        assertThat(compared).isGreaterThan(1000);
    }

    @Test
    void everySchemaValidDomainOfLibvirtsOwnTestsTunesToASchemaValidIdempotentDomainUnderEveryProfile() throws Exception {
        List<Path> all;
        try (var s = Files.list(corpus())) {
            all = s.filter(f -> f.toString().endsWith(".xml")).sorted().toList();
        }
        Set<Path> inputs = valid(all);
        assertThat(all).hasSizeGreaterThan(1000);
        assertThat(inputs).hasSizeGreaterThan(1000);

        FixtureHosts.epycServer().writeTo(tmp.resolve("host"));
        HostSnapshot host = new HostSnapshotReader(new HostRoot(tmp.resolve("host"))).read("epyc");
        Tuner tuner = new Tuner(RuleCatalogue.builtin());
        List<String> problems = new ArrayList<>();
        Map<String, Integer> nonX86 = new TreeMap<>();
        int outputs = 0;
        // written back by a profile of no rules, an input must come out as it went in, save for what XML cannot keep
        Tuner nothing = new Tuner(RuleCatalogue.builtin());
        dev.vfiokit.tuning.Profile none = new dev.vfiokit.tuning.Profile("none", "", Set.of(), List.of(), "test");
        int verbatim = 0;
        for (Path in : inputs) {
            String xml = Files.readString(in);
            String back = nothing.tune(xml, none, host).tunedXml();
            if (back.equals(xml)) {
                verbatim++;
            } else if (!canonical(back).equals(canonical(xml))) {
                problems.add(in.getFileName() + ": written back differently: " + firstDifference(xml, back));
            }
        }
        for (String profile : PROFILES) {
            Path dir = Files.createDirectories(tmp.resolve(profile));
            List<Path> written = new ArrayList<>();
            for (Path in : inputs) {
                String xml = Files.readString(in);
                TuningResult r = tuner.tune(xml, profile, host);
                String tuned = r.tunedXml();
                if (tuner.tune(tuned, profile, host).changed()) {
                    problems.add(in.getFileName() + " " + profile + ": not idempotent");
                }
                for (String tag : KEPT) {
                    if (count(tuned, tag) != count(r.originalXml(), tag)) {
                        problems.add(in.getFileName() + " " + profile + ": <" + tag + "> count changed");
                    }
                }
                Matcher arch = Pattern.compile("<type [^>]*arch=[\"']([^\"']+)[\"']").matcher(r.originalXml());
                String a = arch.find() ? arch.group(1) : "x86_64";
                if (!a.equals("x86_64") && !a.equals("i686")) {
                    nonX86.merge(a, 1, Integer::sum);
                    Matcher before = X86_ONLY.matcher(r.originalXml());
                    Matcher after = X86_ONLY.matcher(tuned);
                    long b = before.results().count();
                    long c = after.results().count();
                    if (c > b) {
                        problems.add(in.getFileName() + " " + profile + ": an x86-only element added to a " + a + " guest");
                    }
                }
                Path out = dir.resolve(in.getFileName());
                Files.writeString(out, tuned);
                written.add(out);
                outputs++;
            }
            Set<Path> ok = valid(written);
            written.stream().filter(w -> !ok.contains(w)).forEach(w -> problems.add(w.getFileName() + " " + profile + ": fails libvirt's schema"));
        }
        System.out.println("libvirt corpus: " + all.size() + " domain XMLs, " + inputs.size() + " schema-valid, " + verbatim
                + " written back byte for byte, " + outputs
                + " tuned outputs (" + PROFILES.size() + " profiles), non-x86 inputs per profile " + nonX86.entrySet().stream()
                .map(e -> e.getKey() + "=" + e.getValue() / PROFILES.size()).toList() + ", problems " + problems.size());
        assertThat(problems).isEmpty();
    }

    /**
     * The QEMU driver judges the corpus too: every schema-valid input that this machine's libvirt accepts as it
     * is (defined, then undefined) must be accepted after tuning with every profile. Inputs it refuses as given
     * (emulators of other architectures, features this QEMU lacks, kvm where there is no KVM) judge nothing.
     */
    @Test
    @Tag("libvirtd")
    void everyCorpusDomainTheQemuDriverAcceptsIsStillAcceptedAfterTuning() throws Exception {
        List<Path> all;
        try (var s = Files.list(corpus())) {
            all = s.filter(f -> f.toString().endsWith(".xml")).sorted().toList();
        }
        Set<Path> inputs = valid(all);
        FixtureHosts.epycServer().writeTo(tmp.resolve("host"));
        HostSnapshot host = new HostSnapshotReader(new HostRoot(tmp.resolve("host"))).read("epyc");
        Tuner tuner = new Tuner(RuleCatalogue.builtin());
        Pattern name = Pattern.compile("<name>([^<]+)</name>");
        List<String> refusedAfterTuning = new ArrayList<>();
        int accepted = 0;
        int judged = 0;
        try (dev.vfiokit.libvirt.LibvirtConnection c = dev.vfiokit.libvirt.LibvirtConnection.open("qemu:///system", false)) {
            for (Path in : inputs) {
                String xml = Files.readString(in);
                Matcher m = name.matcher(xml);
                if (!m.find()) {
                    continue;
                }
                String domain = m.group(1).strip();
                if (!defines(c, xml, domain)) {
                    continue;
                }
                accepted++;
                for (String profile : PROFILES) {
                    judged++;
                    String tuned = tuner.tune(xml, profile, host).tunedXml();
                    try {
                        c.define(tuned);
                        c.undefine(domain);
                    } catch (dev.vfiokit.libvirt.LibvirtFailure e) {
                        refusedAfterTuning.add(in.getFileName() + " " + profile + ": " + e.getMessage());
                    }
                }
            }
        }
        System.out.println("libvirt corpus on the QEMU driver: " + inputs.size() + " schema-valid inputs, " + accepted
                + " accepted as given, " + judged + " tuned outputs judged, " + refusedAfterTuning.size() + " refused");
        assertThat(accepted).as("the QEMU driver accepts a good part of the corpus as given").isGreaterThan(300);
        assertThat(refusedAfterTuning).isEmpty();
    }

    private static boolean defines(dev.vfiokit.libvirt.LibvirtConnection c, String xml, String domain) {
        try {
            c.define(xml);
        } catch (dev.vfiokit.libvirt.LibvirtFailure e) {
            return false;
        }
        c.undefine(domain);
        return true;
    }
}
