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
    private static final String SHA256 = "deca5cff1b7baac297bca9663907c61f71a47183371dc7ac019c107806d5435a";
    private static final String NEWER_SOURCE = "https://deb.debian.org/debian/pool/main/libv/libvirt/libvirt_11.3.0.orig.tar.xz";
    private static final String NEWER_SHA256 = "6bcb0c42c4580436fea262ced56f68a6afe20f7390b1bea2116718cc034a0283";
    /** domainschemadata is left out: its inputs wrap attributes over lines, which a DOM does not keep. */
    private static final List<String> NEWER_DIRS = List.of("qemuxmlconfdata", "genericxml2xmlindata", "qemuhotplugtestdomains",
            "qemuxmlactive2xmldata", "qemumemlockdata", "bhyvexml2argvdata", "lxcxml2xmldata", "xlconfigdata", "vmx2xmldata",
            "libxlxml2domconfigdata");
    private static final String VIRT_MANAGER_SOURCE = "https://deb.debian.org/debian/pool/main/v/virt-manager/virt-manager_5.0.0.orig.tar.xz";
    private static final String VIRT_MANAGER_SHA256 = "bc89ae46e0c997bd754ed62a419ca39c6aadec27e3d8b850cea5282f0083f84a";
    private static final List<String> PROFILES = List.of("compute-headless", "gpu-desktop", "nfv", "balanced");
    private static final List<String> KEPT = List.of("disk", "interface", "hostdev", "filesystem");
    private static final Pattern X86_ONLY = Pattern.compile("<vmport |<hyperv|<ioapic |<timer name=[\"']hpet[\"']|<timer name=[\"']hypervclock[\"']|<hidden ");

    @TempDir
    Path tmp;

    /** {@code name} under the user's cache (XDG_CACHE_HOME, else ~/.cache), where fetched corpora are kept. */
    static Path cached(String name) {
        String cache = System.getenv("XDG_CACHE_HOME");
        return (cache != null && !cache.isBlank() ? Path.of(cache) : Path.of(System.getProperty("user.home"), ".cache")).resolve(name);
    }

    static Path corpus() throws Exception {
        Path base = cached("vfiokit-tests/libvirt-9.0.0-qemuxml2argvdata");
        if (Files.isDirectory(base)) {
            return base;
        }
        fetch(SOURCE, SHA256, "libvirt-9.0.0/tests/qemuxml2argvdata", "/*.xml", base);
        return base;
    }

    /**
     * Downloads a source tarball, checks its SHA-256, extracts the files {@code dir + glob} names
     * and moves {@code dir} to {@code base}.
     */
    private static void fetch(String url, String sha256, String dir, String glob, Path base) throws Exception {
        Path work = Files.createTempDirectory("libvirt-src");
        Path tar = work.resolve("libvirt.tar.xz");
        HttpResponse<InputStream> r = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL)
                .connectTimeout(Duration.ofSeconds(30)).build()
                .send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofMinutes(5)).build(), HttpResponse.BodyHandlers.ofInputStream());
        assertThat(r.statusCode()).as(url).isEqualTo(200);
        try (InputStream in = r.body()) {
            Files.copy(in, tar, StandardCopyOption.REPLACE_EXISTING);
        }
        String sha = java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(tar)));
        assertThat(sha).as(url + " SHA-256").isEqualTo(sha256);
        Process p = new ProcessBuilder("tar", "-xJf", tar.toString(), "-C", work.toString(), "--wildcards", dir + glob).inheritIO().start();
        assertThat(p.waitFor(5, TimeUnit.MINUTES) && p.exitValue() == 0).as("tar -xJf").isTrue();
        Files.createDirectories(base.getParent());
        Files.move(work.resolve(dir), base);
    }

    /** The files libvirt's schema accepts, by xmllint runs over a few hundred at a time. */
    static Set<Path> valid(List<Path> files) throws Exception {
        return valid(files, RNG);
    }

    static Set<Path> valid(List<Path> files, String rng) throws Exception {
        Set<Path> ok = new LinkedHashSet<>();
        for (int from = 0; from < files.size(); from += 500) {
            List<String> cmd = new ArrayList<>(List.of("xmllint", "--noout", "--relaxng", rng));
            files.subList(from, Math.min(files.size(), from + 500)).forEach(f -> cmd.add(f.toString()));
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            p.waitFor(10, TimeUnit.MINUTES);
            for (String line : out.lines().toList()) {
                if (line.endsWith(" validates")) {
                    ok.add(Path.of(line.substring(0, line.length() - " validates".length())));
                }
            }
        }
        return ok;
    }

    /** libvirt 11.3.0's tests/ (its XML files), fetched into the cache once. */
    static Path newerTests() throws Exception {
        Path base = cached("vfiokit-tests/libvirt-11.3.0-tests");
        if (!Files.isDirectory(base)) {
            fetch(NEWER_SOURCE, NEWER_SHA256, "libvirt-11.3.0/tests", "/*.xml", base);
        }
        return base;
    }

    /** virt-manager 5.0.0's tests/data (its XML files), fetched into the cache once. */
    static Path virtManagerData() throws Exception {
        Path base = cached("vfiokit-tests/virt-manager-5.0.0-tests-data");
        if (!Files.isDirectory(base)) {
            fetch(VIRT_MANAGER_SOURCE, VIRT_MANAGER_SHA256, "virt-manager-5.0.0/tests/data", "/*.xml", base);
        }
        return base;
    }

    /**
     * A newer corpus: the domain XMLs of libvirt 11.3.0's tests (Debian 13's source package; qemuxmlconfdata, which
     * replaced qemuxml2argvdata, with its per-arch outputs, and the generic, hotplug, active, memlock, bhyve, LXC, Xen
     * and VMware inputs), fetched once into the cache and checked against the tarball's SHA-256.
     */
    static List<Path> newerCorpus() throws Exception {
        Path base = newerTests();
        Pattern root = Pattern.compile("^\\s*(<\\?xml[^>]*>\\s*)?(<!--.*?-->\\s*)*<domain[ >]", Pattern.DOTALL);
        List<Path> out = new ArrayList<>();
        for (String dir : NEWER_DIRS) {
            try (var s = Files.list(base.resolve(dir))) {
                for (Path f : s.filter(f -> f.toString().endsWith(".xml")).sorted().toList()) {
                    if (root.matcher(Files.readString(f)).find()) {
                        out.add(f);
                    }
                }
            }
        }
        return out;
    }

    /**
     * A peer's corpus: the domain XMLs of virt-manager 5.0.0's tests (Debian 13's source package): what virt-install,
     * virt-clone and virt-xml write for every option they take (tests/data/cli: install and boot phases, one document
     * each), the documents virtinst parses and edits (tests/data/xmlparse) and the guests of its test-driver hosts
     * (tests/data/testdriver). Fetched once into the cache, checked against the tarball's SHA-256; each document is
     * written to {@code dir} as a file of its own (at the left margin, or two spaces in where a test-driver host holds them).
     */
    static List<Path> virtManagerCorpus(Path dir) throws Exception {
        Path base = virtManagerData();
        Pattern domain = Pattern.compile("^( {2}|)<domain[ >].*?^\\1</domain>", Pattern.DOTALL | Pattern.MULTILINE);
        List<Path> out = new ArrayList<>();
        for (String sub : List.of("cli", "xmlparse", "testdriver")) {
            List<Path> files;
            try (var s = Files.walk(base.resolve(sub))) {
                files = s.filter(f -> f.toString().endsWith(".xml")).sorted().toList();
            }
            for (Path f : files) {
                Matcher m = domain.matcher(Files.readString(f));
                for (int i = 1; m.find(); i++) {
                    String name = base.relativize(f).toString().replace('/', '_').replaceFirst("\\.xml$", "") + "-" + i + ".xml";
                    out.add(Files.writeString(dir.resolve(name), m.group() + "\n"));
                }
            }
        }
        return out;
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

    private static HostSnapshot host(Path dir, dev.vfiokit.iommucheck.fixture.HostTree tree, String name) {
        tree.writeTo(dir.resolve(name));
        return new HostSnapshotReader(new HostRoot(dir.resolve(name))).read(name);
    }

    /** The epyc (x86) and graceHopper (arm64) fixture hosts, in that order. */
    private Map<String, HostSnapshot> x86AndArmHosts() {
        Map<String, HostSnapshot> hosts = new java.util.LinkedHashMap<>();
        hosts.put("epyc", host(tmp, FixtureHosts.epycServer(), "epyc"));
        hosts.put("grace", host(tmp, FixtureHosts.graceHopper(), "grace"));
        return hosts;
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
        List<String> problems = tuneEvery("libvirt 9.0.0 corpus", all.size(), inputs, RNG, Map.of("epyc", host(tmp, FixtureHosts.epycServer(), "epyc")));
        assertThat(problems).isEmpty();
    }

    /**
     * libvirt 11.3.0's corpus, judged by a newer libvirt's schema (Debian unstable's, as {@link NewerLibvirtSchemaTest}
     * fetches it), tuned for an x86 host and for an arm64 (Grace) host. It found what 9.0's did not: an input with
     * {@code <clock>} among the on_* elements that libxml2 validated, tuned into one it did not, because added
     * elements were appended after {@code <devices>}; they now go where libvirt writes them.
     */
    @Test
    void everySchemaValidDomainOfANewerLibvirtsTestsTunesToASchemaValidIdempotentDomainOnX86AndArmHosts() throws Exception {
        List<Path> all = newerCorpus();
        String rng = NewerLibvirtSchemaTest.sidSchema().toString();
        Set<Path> inputs = valid(all, rng);
        assertThat(all).hasSizeGreaterThan(2500);
        assertThat(inputs).hasSizeGreaterThan(2400);
        Map<String, HostSnapshot> hosts = x86AndArmHosts();
        List<String> problems = tuneEvery("libvirt 11.3.0 corpus", all.size(), inputs, rng, hosts);
        assertThat(problems).isEmpty();
    }

    /**
     * virt-manager's corpus: what virt-install and virt-xml write for every option, and the guests virtinst parses,
     * judged by the newer schema and tuned for x86 and arm64 hosts.
     */
    @Test
    void everySchemaValidDomainOfVirtManagersTestsTunesToASchemaValidIdempotentDomainOnX86AndArmHosts() throws Exception {
        List<Path> all = virtManagerCorpus(Files.createDirectories(tmp.resolve("virt-manager")));
        String rng = NewerLibvirtSchemaTest.sidSchema().toString();
        Set<Path> inputs = valid(all, rng);
        assertThat(all).hasSizeGreaterThan(250);
        assertThat(inputs).hasSizeGreaterThan(200);
        Map<String, HostSnapshot> hosts = x86AndArmHosts();
        assertThat(tuneEvery("virt-manager 5.0.0 corpus", all.size(), inputs, rng, hosts)).isEmpty();
    }

    /** Tunes every input with every profile for every host: schema-valid, idempotent, devices kept, no x86-only element on other guests. */
    private List<String> tuneEvery(String what, int files, Set<Path> inputs, String rng, Map<String, HostSnapshot> hosts) throws Exception {
        Tuner tuner = new Tuner(RuleCatalogue.builtin());
        List<String> problems = new ArrayList<>();
        Map<String, Integer> nonX86 = new TreeMap<>();
        int outputs = 0;
        // written back by a profile of no rules, an input must come out as it went in, save for what XML cannot keep
        dev.vfiokit.tuning.Profile none = new dev.vfiokit.tuning.Profile("none", "", Set.of(), List.of(), "test");
        int verbatim = 0;
        HostSnapshot first = hosts.values().iterator().next();
        for (Path in : inputs) {
            String xml = Files.readString(in);
            String back = tuner.tune(xml, none, first).tunedXml();
            if (back.equals(xml)) {
                verbatim++;
            } else if (!canonical(back).equals(canonical(xml))) {
                problems.add(in.getFileName() + ": written back differently: " + firstDifference(xml, back));
            }
        }
        int n = 0;
        for (Map.Entry<String, HostSnapshot> h : hosts.entrySet()) {
            for (String profile : PROFILES) {
                Path dir = Files.createDirectories(tmp.resolve(h.getKey() + "-" + profile));
                List<Path> written = new ArrayList<>();
                for (Path in : inputs) {
                    String xml = Files.readString(in);
                    String at = in.getParent().getFileName() + "/" + in.getFileName() + " " + h.getKey() + " " + profile;
                    TuningResult r = tuner.tune(xml, profile, h.getValue());
                    String tuned = r.tunedXml();
                    if (tuner.tune(tuned, profile, h.getValue()).changed()) {
                        problems.add(at + ": not idempotent");
                    }
                    for (String tag : KEPT) {
                        if (count(tuned, tag) != count(r.originalXml(), tag)) {
                            problems.add(at + ": <" + tag + "> count changed");
                        }
                    }
                    Matcher arch = Pattern.compile("<type [^>]*arch=[\"']([^\"']+)[\"']").matcher(r.originalXml());
                    String a = arch.find() ? arch.group(1) : "x86_64";
                    if (!a.equals("x86_64") && !a.equals("i686")) {
                        nonX86.merge(a, 1, Integer::sum);
                        if (X86_ONLY.matcher(tuned).results().count() > X86_ONLY.matcher(r.originalXml()).results().count()) {
                            problems.add(at + ": an x86-only element added to a " + a + " guest");
                        }
                    }
                    // numbered: two directories of the corpus may hold files of one name
                    Path out = dir.resolve((n++) + "-" + in.getFileName());
                    Files.writeString(out, tuned);
                    written.add(out);
                    outputs++;
                }
                Set<Path> ok = valid(written, rng);
                written.stream().filter(w -> !ok.contains(w)).forEach(w -> problems.add(w.getFileName() + " " + h.getKey() + " " + profile
                        + ": fails libvirt's schema"));
            }
        }
        int runs = PROFILES.size() * hosts.size();
        System.out.println(what + ": " + files + " domain XMLs, " + inputs.size() + " schema-valid, " + verbatim
                + " written back byte for byte, " + outputs + " tuned outputs (" + PROFILES.size() + " profiles, hosts " + hosts.keySet()
                + "), non-x86 inputs " + nonX86.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue() / runs).toList()
                + ", problems " + problems.size());
        return problems;
    }

    /** Every domain document of the three corpora (libvirt 9.0, 11.3.0, virt-manager 5.0.0), schema-valid or not. */
    private List<Path> everyDomainDocument() throws Exception {
        List<Path> all = new ArrayList<>();
        try (var s = Files.list(corpus())) {
            all.addAll(s.filter(f -> f.toString().endsWith(".xml")).sorted().toList());
        }
        all.addAll(newerCorpus());
        all.addAll(virtManagerCorpus(Files.createDirectories(tmp.resolve("virt-manager-all"))));
        return all;
    }

    /**
     * {@code check --xml} (a domain's locked memory and what blocks its live migration) on every domain document of
     * the three corpora, schema-valid or not, for the x86 and arm64 hosts: a report, or the one-line refusal of bad
     * input (IllegalArgumentException), never another exception; every finding says what it is about.
     */
    @Test
    void everyDomainOfTheThreeCorporaIsCheckedToAReportOrAOneLineRefusalOnX86AndArmHosts() throws Exception {
        List<Path> all = everyDomainDocument();
        Map<String, HostSnapshot> hosts = x86AndArmHosts();
        List<String> problems = new ArrayList<>();
        int reports = 0;
        int refused = 0;
        int findings = 0;
        for (Path f : all) {
            String xml = Files.readString(f);
            for (Map.Entry<String, HostSnapshot> h : hosts.entrySet()) {
                String at = f.getParent().getFileName() + "/" + f.getFileName() + " " + h.getKey();
                try {
                    org.w3c.dom.Element root = dev.vfiokit.iommucheck.input.SecureXml.parse(xml, f.toString()).getDocumentElement();
                    String name = dev.vfiokit.iommucheck.input.DomainXmlFacts.name(root);
                    List<dev.vfiokit.iommucheck.check.Finding> out = new dev.vfiokit.iommucheck.check.DomainReadiness().check(h.getValue(), root, name,
                            dev.vfiokit.iommucheck.check.DomainReadiness.Versions.UNKNOWN);
                    reports++;
                    for (var x : out) {
                        findings++;
                        if (x.message() == null || x.message().isBlank() || x.message().contains("null") || x.subject() == null || x.subject().isBlank()) {
                            problems.add(at + ": finding " + x.id() + " says too little: " + x.subject() + " / " + x.message());
                        }
                    }
                } catch (IllegalArgumentException e) {
                    refused++;
                    System.out.println("refused: " + at + ": " + e.getMessage());
                    if (e.getMessage() == null || e.getMessage().isBlank() || e.getMessage().contains("\n")) {
                        problems.add(at + ": refused without a one-line reason: " + e.getMessage());
                    }
                } catch (RuntimeException e) {
                    problems.add(at + ": " + e);
                }
            }
        }
        System.out.println("check --xml on the three corpora: " + all.size() + " documents x " + hosts.size() + " hosts, " + reports
                + " reports (" + findings + " findings), " + refused + " refused in one line, problems " + problems.size());
        assertThat(problems).isEmpty();
        assertThat(reports).isGreaterThan(8000);
    }

    /**
     * {@code tune} on every domain document of the three corpora, those the schema refuses too (the sweeps above
     * tune only valid ones), with every profile for both hosts: a tuned document that parses, or the one-line
     * refusal of bad input (IllegalArgumentException), never another exception.
     */
    @Test
    void everyDomainOfTheThreeCorporaValidOrNotIsTunedOrRefusedInOneLine() throws Exception {
        List<Path> all = everyDomainDocument();
        Map<String, HostSnapshot> hosts = x86AndArmHosts();
        Tuner tuner = new Tuner(RuleCatalogue.builtin());
        List<String> problems = new ArrayList<>();
        int tuned = 0;
        Map<String, Integer> refusals = new TreeMap<>();
        for (Path f : all) {
            String xml = Files.readString(f);
            for (Map.Entry<String, HostSnapshot> h : hosts.entrySet()) {
                for (String profile : PROFILES) {
                    String at = f.getParent().getFileName() + "/" + f.getFileName() + " " + h.getKey() + " " + profile;
                    try {
                        String out = tuner.tune(xml, profile, h.getValue()).tunedXml();
                        dev.vfiokit.iommucheck.input.SecureXml.parse(out, at);
                        tuned++;
                    } catch (IllegalArgumentException e) {
                        refusals.merge(String.valueOf(e.getMessage()).replaceAll("\\d+", "N"), 1, Integer::sum);
                        if (e.getMessage() == null || e.getMessage().isBlank() || e.getMessage().contains("\n")) {
                            problems.add(at + ": refused without a one-line reason: " + e.getMessage());
                        }
                    } catch (RuntimeException e) {
                        problems.add(at + ": " + e);
                    }
                }
            }
        }
        System.out.println("tune on the three corpora, valid or not: " + all.size() + " documents, " + tuned + " tuned, refused "
                + refusals + ", problems " + problems.size() + (problems.isEmpty() ? "" : ": " + problems.subList(0, Math.min(10, problems.size()))));
        assertThat(problems).isEmpty();
        assertThat(tuned).isGreaterThan(30000);
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
        int accepted = judgeEvery("libvirt corpus on the QEMU driver", valid(all), Map.of("epyc", host(tmp, FixtureHosts.epycServer(), "epyc")));
        assertThat(accepted).as("the QEMU driver accepts a good part of the corpus as given").isGreaterThan(300);
    }

    /**
     * The same for libvirt 11.3.0's corpus. It found one refusal 9.0's corpus had not: a headless guest's SPICE
     * display removed while a chardev went over SPICE (type='spiceport'); spiceport channels now go with the display,
     * and a serial port or console over SPICE keeps it.
     */
    @Test
    @Tag("libvirtd")
    void everyNewerCorpusDomainTheQemuDriverAcceptsIsStillAcceptedAfterTuningForX86AndArmHosts() throws Exception {
        Set<Path> inputs = valid(newerCorpus(), NewerLibvirtSchemaTest.sidSchema().toString());
        Map<String, HostSnapshot> hosts = x86AndArmHosts();
        int accepted = judgeEvery("libvirt 11.3.0 corpus on the QEMU driver", inputs, hosts);
        assertThat(accepted).as("the QEMU driver accepts a good part of the corpus as given").isGreaterThan(1000);
    }

    /** The same for virt-manager's corpus. */
    @Test
    @Tag("libvirtd")
    void everyVirtManagerCorpusDomainTheQemuDriverAcceptsIsStillAcceptedAfterTuningForX86AndArmHosts() throws Exception {
        List<Path> all = virtManagerCorpus(Files.createDirectories(tmp.resolve("virt-manager")));
        Set<Path> inputs = valid(all, NewerLibvirtSchemaTest.sidSchema().toString());
        Map<String, HostSnapshot> hosts = x86AndArmHosts();
        int accepted = judgeEvery("virt-manager 5.0.0 corpus on the QEMU driver", inputs, hosts);
        assertThat(accepted).as("the QEMU driver accepts a good part of the corpus as given").isGreaterThan(50);
    }

    /** Defines every input as given, then tuned for every host and profile; asserts that no tuned one is refused. */
    private int judgeEvery(String what, Set<Path> inputs, Map<String, HostSnapshot> hosts) {
        Tuner tuner = new Tuner(RuleCatalogue.builtin());
        Pattern name = Pattern.compile("<name>([^<]+)</name>");
        List<String> refusedAfterTuning = new ArrayList<>();
        int accepted = 0;
        int judged = 0;
        try (dev.vfiokit.libvirt.LibvirtConnection c = dev.vfiokit.libvirt.LibvirtConnection.open("qemu:///system", false)) {
            for (Path in : inputs) {
                String xml;
                try {
                    xml = Files.readString(in);
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
                Matcher m = name.matcher(xml);
                if (!m.find()) {
                    continue;
                }
                String domain = m.group(1).strip();
                if (!defines(c, xml, domain)) {
                    continue;
                }
                accepted++;
                for (Map.Entry<String, HostSnapshot> h : hosts.entrySet()) {
                    for (String profile : PROFILES) {
                        judged++;
                        String tuned = tuner.tune(xml, profile, h.getValue()).tunedXml();
                        try {
                            c.define(tuned);
                            c.undefine(domain);
                        } catch (dev.vfiokit.libvirt.LibvirtFailure e) {
                            refusedAfterTuning.add(in.getParent().getFileName() + "/" + in.getFileName() + " " + h.getKey() + " " + profile + ": " + e.getMessage());
                        }
                    }
                }
            }
        }
        System.out.println(what + ": " + inputs.size() + " schema-valid inputs, " + accepted
                + " accepted as given, " + judged + " tuned outputs judged, " + refusedAfterTuning.size() + " refused");
        assertThat(refusedAfterTuning).isEmpty();
        return accepted;
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
