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

    private final Config config;
    private final LocalDate today;
    private final Listeners listeners;
    /** Exceptions of compat.json that matched a finding (checks run in parallel). */
    private final Set<Config.Waiver> usedWaivers = java.util.concurrent.ConcurrentHashMap.newKeySet();

    public CompatChecker(Config config) {
        this(config, LocalDate.now(java.time.ZoneOffset.UTC));
    }

    public CompatChecker(Config config, LocalDate today) {
        this(config, today, Listeners.NONE);
    }

    /** A checker whose findings about an event name the services in {@code listeners} that listen to it. */
    public CompatChecker(Config config, LocalDate today, Listeners listeners) {
        this.config = Objects.requireNonNull(config);
        this.today = Objects.requireNonNull(today);
        this.listeners = Objects.requireNonNull(listeners);
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
        return new Report(findings, config.mode(), config.policy(), null, -1, 2, 0);
    }

    // ---- a registry --------------------------------------------------------------------------------

    public Report check(Registry current, Baseline baseline) {
        DocumentSource.Factory sources = DocumentSource.forRegistry(current, null);
        List<Finding> findings = new ArrayList<>();
        int versions = 0;
        for (EventDef event : current.events()) {
            versions += event.versions().size();
        }
        Published published = baseline == null ? null : new Published(current, sources, baseline.tree(), config.policy());
        List<EventDef> toCheck = current.events().stream().filter(e -> published == null || !published.sameCompatConfig()
                || !published.unchanged(e.name()) || waived(e)).toList();
        if (config.mode() != Mode.NONE) {
            // events are independent: check them in parallel, keep the findings in event order
            List<List<Finding>> perEvent = toCheck.parallelStream().map(event -> {
                List<Finding> list = new ArrayList<>();
                checkEvent(event, sources, list);
                return list;
            }).toList();
            perEvent.forEach(findings::addAll);
        }
        if (published != null) {
            checkBaseline(published, baseline.label(), findings);
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
                current.events().size(), versions, current.events().size() - toCheck.size());
    }

    /** Whether an exception of compat.json names one of the event's files (it is checked, so that expiry and use are seen). */
    private boolean waived(EventDef event) {
        String prefix = "events/" + event.name() + "/";
        return config.exceptions().stream().anyMatch(w -> w.file().startsWith(prefix));
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
        findings.add(new Finding(rule, severity, location, oldLocation, subject, path, message + heardBy(relativeFile),
                oldValue, newValue, breaks, relativeFile, note));
    }

    /** " (listened to by email, payment)" for a file of an event that has listeners; "" otherwise. */
    private String heardBy(String relativeFile) {
        if (listeners.isEmpty() || relativeFile == null || !relativeFile.startsWith("events/")) {
            return "";
        }
        String rest = relativeFile.substring("events/".length());
        int slash = rest.indexOf('/');
        List<String> who = listeners.of(slash < 0 ? rest : rest.substring(0, slash));
        return who.isEmpty() ? "" : " (listened to by " + String.join(", ", who) + ")";
    }

    // ---- against a baseline ------------------------------------------------------------------------

    private void checkBaseline(Published published, String label, List<Finding> findings) {
        String subject = "registry against " + label;
        for (Published.Finding f : published.check()) {
            addFinding(findings, f.rule(), Severity.ERROR, f.location(), f.oldLocation(), subject, f.path(), f.message(),
                    f.oldValue(), f.newValue(), "", f.file());
        }
    }
}
