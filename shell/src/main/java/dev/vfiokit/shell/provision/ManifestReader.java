package dev.vfiokit.shell.provision;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

import java.io.StringReader;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Reads a YAML manifest into a {@link Manifest}; every error names its file and line. */
public final class ManifestReader {
    private static final Set<String> VM_KEYS = Set.of("name", "host", "template", "profile", "gpus", "gpu", "vfs", "mdevType",
            "vgpuType", "vcpus", "memory", "disk", "pin", "hideKvm");

    private final String file;

    public ManifestReader(String file) {
        this.file = file;
    }

    public Manifest read(String yaml) {
        Node root;
        LoaderOptions limits = new LoaderOptions();
        // the file is at most 16 MiB (InputFile); aliases and nesting keep SnakeYAML's limits (50), which stop
        // "billion laughs" and stack-exhausting documents: both are bad input, said with the line where known
        limits.setCodePointLimit((int) dev.vfiokit.iommucheck.input.InputFile.LIMIT);
        limits.setAllowRecursiveKeys(false);
        try {
            root = new Yaml(limits).compose(new StringReader(yaml));
        } catch (MarkedYAMLException e) {
            String problem = String.valueOf(e.getProblem());
            throw error(e.getProblemMark() == null ? 1 : e.getProblemMark().getLine() + 1, problem.startsWith("Global tag is not allowed")
                    ? "YAML global tags (!!type) are not accepted in a manifest" : "not valid YAML: " + problem);
        } catch (org.yaml.snakeyaml.error.YAMLException e) {
            String m = String.valueOf(e.getMessage());
            String why = m.contains("aliases") ? "too many aliases (more than 50 for collections: an alias bomb?)"
                    : m.contains("Nesting Depth") ? "nested deeper than 50 levels"
                    : m.contains("exceeds the limit") ? "larger than the 16 MiB vfiokit reads"
                    : "not valid YAML: " + m.replaceAll("\\s*\\R\\s*", " ");
            throw error(1, why);
        }
        if (!(root instanceof MappingNode m)) {
            throw error(1, "a manifest is a mapping with 'hosts:' and 'vms:'");
        }
        Map<String, Node> top = mapping(m, Set.of("hosts", "vms"));
        Map<String, String> hosts = new LinkedHashMap<>();
        Node h = top.get("hosts");
        if (h == null) {
            throw error(1, "'hosts:' is missing (e.g. hosts: {demo: demo})");
        }
        if (!(h instanceof MappingNode hm)) {
            throw error(line(h), "'hosts:' maps host names to libvirt URIs, demo or local");
        }
        for (NodeTuple t : hm.getValue()) {
            if (hosts.put(scalar(t.getKeyNode(), "host name"), scalar(t.getValueNode(), "host URI")) != null) {
                throw error(line(t.getKeyNode()), "host '" + scalar(t.getKeyNode(), "host name") + "' appears twice under 'hosts:'");
            }
        }
        Node v = top.get("vms");
        if (!(v instanceof SequenceNode vs)) {
            throw error(v == null ? 1 : line(v), "'vms:' is a list of VMs");
        }
        List<VmSpec> vms = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (Node n : vs.getValue()) {
            VmSpec s = vm(n, hosts);
            if (!names.add(s.host() + "/" + s.name())) {
                throw error(s.line(), "VM '" + s.name() + "' appears twice on host " + s.host());
            }
            vms.add(s);
        }
        return new Manifest(hosts, vms);
    }

    private VmSpec vm(Node n, Map<String, String> hosts) {
        if (!(n instanceof MappingNode m)) {
            throw error(line(n), "each VM is a mapping (name:, host:, template: ...)");
        }
        Map<String, Node> f = mapping(m, VM_KEYS);
        int line = line(n);
        String name = required(f, "name", line);
        String host = required(f, "host", line);
        if (!hosts.containsKey(host)) {
            throw error(line(f.get("host")), "VM " + name + ": unknown host '" + host + "' (hosts: " + String.join(", ", hosts.keySet()) + ")");
        }
        String gpuModel = null;
        int gpuCount = 0;
        if (f.containsKey("gpu")) {
            if (!(f.get("gpu") instanceof MappingNode g)) {
                throw error(line(f.get("gpu")), "VM " + name + ": gpu: takes {model: ..., count: N}");
            }
            Map<String, Node> gf = mapping(g, Set.of("model", "count"));
            gpuModel = required(gf, "model", line(g));
            gpuCount = gf.containsKey("count") ? integer(gf.get("count"), "count") : 1;
        }
        return new VmSpec(name, host, required(f, "template", line), optional(f, "profile"), list(f.get("gpus")), gpuModel, gpuCount,
                list(f.get("vfs")), optional(f, "mdevType"), optional(f, "vgpuType"), f.containsKey("vcpus") ? integer(f.get("vcpus"), "vcpus") : null,
                optional(f, "memory"), optional(f, "disk"), !"false".equals(optional(f, "pin")), flag(f, "hideKvm"), line);
    }

    /** A true/false field, false when absent; anything else is the manifest's mistake, at its line. */
    private boolean flag(Map<String, Node> f, String key) {
        String v = optional(f, key);
        if (v == null || v.equals("false")) {
            return false;
        }
        if (v.equals("true")) {
            return true;
        }
        throw error(line(f.get(key)), key + ": true or false, got '" + v + "'");
    }

    private Map<String, Node> mapping(MappingNode m, Set<String> allowed) {
        Map<String, Node> out = new LinkedHashMap<>();
        for (NodeTuple t : m.getValue()) {
            String k = scalar(t.getKeyNode(), "key");
            if (!allowed.contains(k)) {
                throw error(line(t.getKeyNode()), "unknown key '" + k + "' (expected " + String.join(", ", allowed.stream().sorted().toList()) + ")");
            }
            if (out.put(k, t.getValueNode()) != null) {
                throw error(line(t.getKeyNode()), "'" + k + ":' appears twice");
            }
        }
        return out;
    }

    private List<String> list(Node n) {
        List<String> out = new ArrayList<>();
        if (n == null) {
            return out;
        }
        if (!(n instanceof SequenceNode s)) {
            throw error(line(n), "expected a list");
        }
        s.getValue().forEach(x -> out.add(scalar(x, "list item")));
        return out;
    }

    private String required(Map<String, Node> f, String key, int line) {
        if (!f.containsKey(key)) {
            throw error(line, "'" + key + ":' is missing");
        }
        return scalar(f.get(key), key);
    }

    private String optional(Map<String, Node> f, String key) {
        return f.containsKey(key) ? scalar(f.get(key), key) : null;
    }

    private int integer(Node n, String what) {
        String s = scalar(n, what);
        try {
            return Integer.parseInt(s);
        } catch (NumberFormatException e) {
            // digits past 2^31 are a number, only too large for any count a manifest takes
            throw error(line(n), what + (s.matches("\\d{10,}") ? " is too large, got " + s : " must be a number, got '" + s + "'"));
        }
    }

    private String scalar(Node n, String what) {
        if (!(n instanceof ScalarNode s)) {
            throw error(line(n), what + " must be a single value");
        }
        return s.getValue();
    }

    private static int line(Node n) {
        return n.getStartMark() == null ? 1 : n.getStartMark().getLine() + 1;
    }

    private ManifestError error(int line, String message) {
        return new ManifestError(file + ":" + line + ": " + message);
    }

    /** A manifest that cannot be read, with file and line. */
    public static final class ManifestError extends IllegalArgumentException {
        public ManifestError(String message) {
            super(message);
        }
    }
}
