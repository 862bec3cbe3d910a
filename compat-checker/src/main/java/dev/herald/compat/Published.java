package dev.herald.compat;

import dev.herald.schema.Registry;
import dev.herald.schema.SchemaDocument;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a baseline published, next to the current registry: the published version files by event,
 * whether the shared types are unchanged, both sides' sources, and where findings go.
 */
final class Published {

    private static final Pattern VERSION_PATH = Pattern.compile("events/([^/]+)/v([1-9][0-9]*)\\.json");

    final Registry current;
    final DocumentSource.Factory sources;
    final BaselineTree tree;
    final DocumentSource.Factory baseSources;
    final Policy policy;
    /** The current registry's folder as printed, with a trailing slash (or empty). */
    final String root;
    /** Event name to version to the baseline's file path. */
    private final SortedMap<String, SortedMap<Integer, String>> versions = new TreeMap<>();
    /** Whether every shared type file is byte for byte the same in both (none added, none removed). */
    final boolean typesUnchanged;
    private final List<Finding> found = new ArrayList<>();
    private BaselineRule rule;

    /** One finding of a baseline rule. */
    record Finding(Rule rule, Location location, Location oldLocation, String path, String message, String oldValue,
                   String newValue, String file) {
    }

    Published(Registry current, DocumentSource.Factory sources, BaselineTree tree, Policy policy) {
        this.current = current;
        this.sources = sources;
        this.tree = tree;
        this.baseSources = DocumentSource.forBaseline(tree);
        this.policy = policy;
        String r = current.root().toString().replace('\\', '/');
        this.root = r.isEmpty() || r.endsWith("/") ? r : r + "/";
        int baseTypes = 0;
        boolean same = true;
        for (String path : tree.paths()) {
            Matcher m = VERSION_PATH.matcher(path);
            if (m.matches()) {
                versions.computeIfAbsent(m.group(1), k -> new TreeMap<>()).put(Integer.parseInt(m.group(2)), path);
            } else if (path.startsWith("types/")) {
                baseTypes++;
                Optional<SchemaDocument> now = current.document(path);
                same &= now.isPresent() && tree.sameText(path, now.get().text());
            }
        }
        this.typesUnchanged = same && baseTypes == current.types().size();
    }

    /** Runs every baseline rule; their findings in rule order. */
    List<Finding> check() {
        for (BaselineRule r : BaselineRule.ALL) {
            rule = r;
            r.check(this);
        }
        return found;
    }

    /** Whether the event's every published file is still there, byte for byte, and the types too. */
    boolean unchanged(String event) {
        SortedMap<Integer, String> published = versions.get(event);
        if (published == null || !typesUnchanged) {
            return false;
        }
        return current.event(event).map(e -> e.versions().size() == published.size() && e.versions().stream().allMatch(v ->
                tree.sameText("events/" + event + "/v" + v.version() + ".json", v.document().text()))).orElse(false);
    }

    /** Whether compat.json (mode, policy, exceptions) is the baseline's, byte for byte, or absent from both. */
    boolean sameCompatConfig() {
        Optional<SchemaDocument> now = current.compatConfig();
        if (!tree.paths().contains("compat.json")) {
            return now.isEmpty();
        }
        return now.isPresent() && tree.sameText("compat.json", now.get().text());
    }

    /** Starts a finding of {@code r} about {@code file} (relative to the registry). */
    Report report(Rule r, String file) {
        if (!rule.rules().contains(r)) {
            throw new IllegalStateException(rule.getClass().getSimpleName() + " reports " + r + " but does not declare it");
        }
        return new Report(r, file);
    }

    /** The registry.json of the baseline, if it has one. */
    Optional<SchemaDocument> baseRegistry() {
        return tree.paths().contains("registry.json") ? Optional.of(tree.document("registry.json")) : Optional.empty();
    }

    Map<String, SortedMap<Integer, String>> versions() {
        return versions;
    }

    /** A finding being described: where now and where in the baseline, the values, then {@link #says}. */
    final class Report {
        private final Rule r;
        private final String file;
        private Location at;
        private Location was;
        private String path = "";
        private String oldValue = "";
        private String newValue = "";

        private Report(Rule r, String file) {
            this.r = r;
            this.file = file;
        }

        Report at(Location now, Location before) {
            this.at = now;
            this.was = before;
            return this;
        }

        Report path(String p) {
            this.path = p;
            return this;
        }

        Report values(String o, String n) {
            this.oldValue = o;
            this.newValue = n;
            return this;
        }

        void says(String message) {
            found.add(new Finding(r, at, was, path, message, oldValue, newValue, file));
        }
    }
}
