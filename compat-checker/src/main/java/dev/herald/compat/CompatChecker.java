package dev.herald.compat;

import dev.herald.compat.diff.SchemaDiff;
import dev.herald.schema.EventDef;
import dev.herald.schema.EventVersion;
import dev.herald.schema.Registry;
import dev.herald.schema.SchemaDocument;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The gate: checks a registry's versions against each other (vN against vN-1, or every earlier
 * version when the mode is transitive) and, optionally, against a baseline registry (a git ref or a
 * folder) whose published files must not change or disappear. Reports every finding.
 */
public final class CompatChecker {

    /** The published state to compare against (a git ref, a folder, or a loaded registry). */
    public record Baseline(BaselineTree tree) {

        /** A loaded registry as the baseline; {@code label} names it in messages, {@code displayPrefix} prefixes its paths. */
        public Baseline(Registry registry, String label, String displayPrefix) {
            this(BaselineTree.of(registry, label, displayPrefix));
        }

        public String label() {
            return tree.label();
        }
    }

    private static final java.util.regex.Pattern VERSION_PATH = java.util.regex.Pattern.compile("events/([^/]+)/v([1-9][0-9]*)\\.json");

    private final Config config;
    private final LocalDate today;
    /** Exceptions of compat.json that matched a finding (checks run in parallel). */
    private final Set<Config.Waiver> usedWaivers = java.util.concurrent.ConcurrentHashMap.newKeySet();

    public CompatChecker(Config config) {
        this(config, LocalDate.now(java.time.ZoneOffset.UTC));
    }

    public CompatChecker(Config config, LocalDate today) {
        this.config = Objects.requireNonNull(config);
        this.today = Objects.requireNonNull(today);
    }

    /** The configuration of a registry: its compat.json, or the defaults. */
    public static Config configOf(Registry registry) {
        Optional<SchemaDocument> doc = registry.compatConfig();
        return doc.map(Config::parse).orElse(Config.defaults());
    }

    public Config config() {
        return config;
    }

    // ---- two schemas -------------------------------------------------------------------------------

    /** Compares two schemas (the {@code diff} command). */
    public Report diff(SchemaSource oldSchema, SchemaSource newSchema) {
        List<Finding> findings = new ArrayList<>();
        for (Change c : SchemaDiff.diff(oldSchema, newSchema, config.policy())) {
            add(findings, c, newSchema.file() + " against " + oldSchema.file(), newSchema.file());
        }
        return new Report(findings, config.mode(), config.policy(), null, -1, 2);
    }

    // ---- a registry --------------------------------------------------------------------------------

    public Report check(Registry current, Baseline baseline) {
        DocumentSource.Factory sources = DocumentSource.forRegistry(current, null);
        List<Finding> findings = new ArrayList<>();
        int versions = 0;
        for (EventDef event : current.events()) {
            versions += event.versions().size();
        }
        if (config.mode() != Mode.NONE) {
            // events are independent: check them in parallel, keep the findings in event order
            List<List<Finding>> perEvent = current.events().parallelStream().map(event -> {
                List<Finding> list = new ArrayList<>();
                checkEvent(event, sources, list);
                return list;
            }).toList();
            perEvent.forEach(findings::addAll);
        }
        if (baseline != null) {
            checkBaseline(current, sources, baseline, findings);
        }
        for (Config.Waiver w : config.exceptions()) {
            if (!usedWaivers.contains(w)) {
                addFinding(findings, Rule.EXCEPTION_UNUSED, config.severityOf(Rule.EXCEPTION_UNUSED, Severity.WARNING), w.location(), null,
                        "compat.json", "", "the exception for " + w.rule() + " at " + w.path() + " matches no finding (" + w.reason() + ")",
                        w.path(), "(no finding)", "", "compat.json");
            }
        }
        // in file order, so that a reader can walk down a file (stable: same-place findings keep their order)
        findings.sort(java.util.Comparator.comparing((Finding f) -> f.location().file())
                .thenComparingInt(f -> f.location().line()).thenComparingInt(f -> f.location().column()));
        return new Report(findings, config.mode(), config.policy(), baseline == null ? null : baseline.label(),
                current.events().size(), versions);
    }

    private void checkEvent(EventDef event, DocumentSource.Factory sources, List<Finding> findings) {
        List<EventVersion> vs = event.versions();
        Map<Long, List<Change>> memo = new HashMap<>();
        for (int i = 1; i < vs.size(); i++) {
            EventVersion now = vs.get(i);
            int from = config.mode().transitive() ? 0 : i - 1;
            for (int j = i - 1; j >= from; j--) {
                EventVersion before = vs.get(j);
                List<Change> changes = changes(memo, vs, j, i, sources);
                Set<String> already = new HashSet<>();
                if (j < i - 1) {
                    // each problem once, where it was introduced: skip what vN-1 already differed in
                    // from vJ, and what is reported against vN-1 itself
                    for (Change c : changes(memo, vs, j, i - 1, sources)) {
                        already.add(c.rule() + " " + c.path());
                    }
                    for (Change c : changes(memo, vs, i - 1, i, sources)) {
                        already.add(c.rule() + " " + c.path());
                    }
                }
                String subject = event.name() + " v" + now.version() + " against v" + before.version();
                for (Change c : changes) {
                    if (!already.contains(c.rule() + " " + c.path())) {
                        add(findings, c, subject, now.document().relativePath());
                    }
                }
            }
        }
    }

    private List<Change> changes(Map<Long, List<Change>> memo, List<EventVersion> vs, int j, int i, DocumentSource.Factory sources) {
        return memo.computeIfAbsent(((long) j << 32) | i, k -> SchemaDiff.diff(
                sources.source(vs.get(j).document()), sources.source(vs.get(i).document()), config.policy()));
    }

    private void add(List<Finding> findings, Change c, String subject, String relativeFile) {
        if (config.skip().contains(c.rule())) {
            return;
        }
        Severity natural;
        if (c.rule().category() == Category.WIRE) {
            if (config.mode().fails(c.breaksBackward(), c.breaksForward())) {
                natural = Severity.ERROR;
            } else if (c.advisory()) {
                natural = Severity.WARNING;
            } else {
                return; // allowed by the mode
            }
        } else {
            natural = c.rule().defaultSeverity();
        }
        addFinding(findings, c.rule(), config.severityOf(c.rule(), natural), c.newLocation(), c.oldLocation(), subject,
                c.path(), c.message(), c.oldValue(), c.newValue(), c.breaksText(), relativeFile);
    }

    private void addFinding(List<Finding> findings, Rule rule, Severity severity, Location location, Location oldLocation,
                            String subject, String path, String message, String oldValue, String newValue, String breaks,
                            String relativeFile) {
        if (config.skip().contains(rule)) {
            return;
        }
        String note = "";
        for (Config.Waiver w : config.exceptions()) {
            if (w.matches(rule, relativeFile, path == null ? "" : path)) {
                usedWaivers.add(w);
                if (w.expired(today)) {
                    note = "The exception in compat.json for " + w.path() + " expired on " + w.expires() + " (" + w.reason() + ")";
                } else {
                    note = "Accepted by an exception in compat.json" + (w.expires() == null ? "" : " until " + w.expires()) + ": " + w.reason();
                    severity = Severity.INFO;
                }
                break;
            }
        }
        findings.add(new Finding(rule, severity, location, oldLocation, subject, path, message, oldValue, newValue, breaks, relativeFile, note));
    }

    // ---- against a baseline ------------------------------------------------------------------------

    private void checkBaseline(Registry current, DocumentSource.Factory sources, Baseline baseline, List<Finding> findings) {
        BaselineTree tree = baseline.tree();
        DocumentSource.Factory baseSources = DocumentSource.forBaseline(tree);
        String subject = "registry against " + tree.label();
        String root = current.root().toString().replace('\\', '/');
        root = root.isEmpty() || root.endsWith("/") ? root : root + "/";
        SchemaDocument registryDoc = current.registryDocument();

        SchemaDocument baseRegistry = tree.paths().contains("registry.json") ? tree.document("registry.json") : null;
        if (baseRegistry != null) {
            for (java.util.Iterator<String> it = baseRegistry.root().path("services").fieldNames(); it.hasNext(); ) {
                String name = it.next();
                if (current.service(name).isEmpty()) {
                    addFinding(findings, Rule.SERVICE_REMOVED, Severity.ERROR, sources.source(registryDoc).locate("/services"),
                            baseSources.source(baseRegistry).locate("/services/" + Pointers.escape(name)), subject,
                            "/services/" + Pointers.escape(name), "service '" + name + "' was removed from registry.json",
                            name, "(absent)", "", "registry.json");
                }
            }
        }
        // the published versions, from the baseline's file names
        Map<String, java.util.TreeMap<Integer, String>> published = new java.util.TreeMap<>();
        int baseTypes = 0;
        boolean typesUnchanged = true;
        for (String path : tree.paths()) {
            java.util.regex.Matcher m = VERSION_PATH.matcher(path);
            if (m.matches()) {
                published.computeIfAbsent(m.group(1), k -> new java.util.TreeMap<>()).put(Integer.parseInt(m.group(2)), path);
            } else if (path.startsWith("types/")) {
                baseTypes++;
                Optional<SchemaDocument> now = current.document(path);
                typesUnchanged &= now.isPresent() && tree.sameText(path, now.get().text());
            }
        }
        typesUnchanged &= baseTypes == current.types().size();

        for (Map.Entry<String, java.util.TreeMap<Integer, String>> e : published.entrySet()) {
            String event = e.getKey();
            Optional<EventDef> ce = current.event(event);
            if (ce.isEmpty()) {
                String rel = "events/" + event + "/";
                addFinding(findings, Rule.EVENT_REMOVED, Severity.ERROR, new Location(root + rel, 0, 0, ""),
                        new Location(tree.displayPrefix() + e.getValue().lastEntry().getValue(), 1, 1, ""), subject, "",
                        "event '" + event + "' (v" + e.getValue().firstKey() + "..v" + e.getValue().lastKey() + ") was deleted", event, "(absent)", "", rel);
                continue;
            }
            for (Map.Entry<Integer, String> v : e.getValue().entrySet()) {
                String rel = v.getValue();
                Optional<EventVersion> cv = ce.get().version(v.getKey());
                if (cv.isEmpty()) {
                    addFinding(findings, Rule.VERSION_REMOVED, Severity.ERROR, new Location(root + rel, 0, 0, ""),
                            new Location(tree.displayPrefix() + rel, 1, 1, ""), subject, "",
                            event + " v" + v.getKey() + " was deleted", rel, "(absent)", "", rel);
                    continue;
                }
                SchemaDocument cd = cv.get().document();
                if (!tree.sameText(rel, cd.text())) {
                    SchemaDocument bd = tree.document(rel);
                    int line = firstDifferentLine(bd.text(), cd.text());
                    List<Change> wire = SchemaDiff.diff(baseSources.source(bd), sources.source(cd), config.policy());
                    long breaking = wire.stream().filter(c -> c.breaksBackward() || c.breaksForward()).count();
                    addFinding(findings, Rule.PUBLISHED_VERSION_MODIFIED, Severity.ERROR,
                            new Location(sources.source(cd).file(), line, 1, ""), new Location(baseSources.source(bd).file(), line, 1, ""),
                            subject, "", event + " v" + v.getKey() + " differs from the published file from line " + line
                                    + (breaking > 0 ? " (" + breaking + " breaking " + (breaking == 1 ? "change" : "changes") + ": " + describe(wire) + ")" : ""),
                            Json.briefText(lineOf(bd.text(), line)), Json.briefText(lineOf(cd.text(), line)), "", rel);
                } else if (!typesUnchanged && cd.text().contains("$ref")) {
                    SchemaDocument bd = tree.document(rel);
                    List<Change> wire = SchemaDiff.diff(baseSources.source(bd), sources.source(cd), config.policy());
                    List<Change> breaking = wire.stream().filter(c -> c.breaksBackward() || c.breaksForward()).toList();
                    if (!breaking.isEmpty()) {
                        Change first = breaking.get(0);
                        addFinding(findings, Rule.PUBLISHED_SCHEMA_CHANGED, Severity.ERROR, first.newLocation(), first.oldLocation(),
                                subject, first.path(), event + " v" + v.getKey() + " is unchanged but a type it references changed: " + describe(breaking),
                                first.oldValue(), first.newValue(), "", rel);
                    }
                }
            }
        }
    }

    private static String describe(List<Change> changes) {
        List<String> parts = new ArrayList<>();
        for (Change c : changes) {
            if (c.breaksBackward() || c.breaksForward()) {
                parts.add(c.rule() + " at " + c.path());
            }
            if (parts.size() == 3) {
                break;
            }
        }
        long more = changes.stream().filter(c -> c.breaksBackward() || c.breaksForward()).count() - parts.size();
        return String.join(", ", parts) + (more > 0 ? " and " + more + " more" : "");
    }

    static int firstDifferentLine(String a, String b) {
        String[] x = a.split("\n", -1);
        String[] y = b.split("\n", -1);
        int n = Math.min(x.length, y.length);
        for (int i = 0; i < n; i++) {
            if (!x[i].equals(y[i])) {
                return i + 1;
            }
        }
        return n + (x.length == y.length ? 0 : 1);
    }

    private static String lineOf(String text, int line) {
        String[] lines = text.split("\n", -1);
        return line - 1 < lines.length ? lines[line - 1].replace("\r", "").strip() : "(end of file)";
    }
}
