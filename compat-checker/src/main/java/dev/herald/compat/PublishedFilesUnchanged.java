package dev.herald.compat;

import dev.herald.compat.diff.SchemaDiff;
import dev.herald.schema.EventDef;
import dev.herald.schema.EventVersion;
import dev.herald.schema.SchemaDocument;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;

/**
 * A published version file is immutable, byte for byte, and may not change meaning through a
 * shared type it references either: consumers already validate against it.
 */
final class PublishedFilesUnchanged implements BaselineRule {

    @Override
    public Set<Rule> rules() {
        return Set.of(Rule.PUBLISHED_VERSION_MODIFIED, Rule.PUBLISHED_SCHEMA_CHANGED);
    }

    @Override
    public void check(Published p) {
        for (Map.Entry<String, SortedMap<Integer, String>> e : p.versions().entrySet()) {
            Optional<EventDef> now = p.current.event(e.getKey());
            if (now.isEmpty()) {
                continue; // PublishedEventsKept reports it
            }
            for (Map.Entry<Integer, String> v : e.getValue().entrySet()) {
                Optional<EventVersion> cv = now.get().version(v.getKey());
                if (cv.isPresent()) {
                    check(p, e.getKey() + " v" + v.getKey(), v.getValue(), cv.get().document());
                }
            }
        }
    }

    private static void check(Published p, String version, String rel, SchemaDocument cd) {
        if (!p.tree.sameText(rel, cd.text())) {
            SchemaDocument bd = p.tree.document(rel);
            int line = firstDifferentLine(bd.text(), cd.text());
            List<Change> wire = SchemaDiff.diff(p.baseSources.source(bd), p.sources.source(cd), p.policy);
            long breaking = wire.stream().filter(c -> c.breaksBackward() || c.breaksForward()).count();
            p.report(Rule.PUBLISHED_VERSION_MODIFIED, rel)
                    .at(new Location(p.sources.source(cd).file(), line, 1, ""), new Location(p.baseSources.source(bd).file(), line, 1, ""))
                    .values(Json.briefText(lineOf(bd.text(), line)), Json.briefText(lineOf(cd.text(), line)))
                    .says(version + " differs from the published file from line " + line
                            + (breaking > 0 ? " (" + breaking + " breaking " + (breaking == 1 ? "change" : "changes") + ": " + describe(wire) + ")" : ""));
        } else if (!p.typesUnchanged && cd.text().contains("$ref")) {
            SchemaDocument bd = p.tree.document(rel);
            List<Change> breaking = SchemaDiff.diff(p.baseSources.source(bd), p.sources.source(cd), p.policy).stream()
                    .filter(c -> c.breaksBackward() || c.breaksForward()).toList();
            if (!breaking.isEmpty()) {
                Change first = breaking.get(0);
                p.report(Rule.PUBLISHED_SCHEMA_CHANGED, rel).at(first.newLocation(), first.oldLocation()).path(first.path())
                        .values(first.oldValue(), first.newValue())
                        .says(version + " is unchanged but a type it references changed: " + describe(breaking));
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
