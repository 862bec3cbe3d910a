package dev.herald.compat.diff;

import dev.herald.compat.Json;
import dev.herald.compat.Rule;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a present property brings along: dependentRequired names and dependentSchemas (draft-07's
 * {@code dependencies} is read as either, by the form of each entry).
 */
final class DependenciesUnit implements KeywordUnit {

    private static final Set<Rule> RULES = Set.of(Rule.DEPENDENT_REQUIRED_ADDED, Rule.DEPENDENT_REQUIRED_REMOVED, Rule.CONSTRAINT_ADDED, Rule.CONSTRAINT_REMOVED);

    private static final Set<String> KEYWORDS = Set.of("dependencies", "dependentRequired", "dependentSchemas");

    @Override
    public Set<String> keywords() {
        return KEYWORDS;
    }

    @Override
    public Set<Rule> rules() {
        return RULES;
    }

    @Override
    public boolean appliesTo(Set<String> oldTypes, Set<String> newTypes) {
        return Schemas.both(oldTypes, newTypes, "object");
    }

    @Override
    public void compare(SchemaNode o, SchemaNode n, Scope s) {
        Map<String, SchemaNode> oreq = new LinkedHashMap<>();
        Map<String, SchemaNode> nreq = new LinkedHashMap<>();
        Map<String, SchemaNode> osch = new LinkedHashMap<>();
        Map<String, SchemaNode> nsch = new LinkedHashMap<>();
        collect(o, oreq, osch);
        collect(n, nreq, nsch);
        Set<String> keys = new LinkedHashSet<>(oreq.keySet());
        keys.addAll(nreq.keySet());
        for (String k : keys) {
            Set<String> a = names(oreq.get(k));
            Set<String> b = names(nreq.get(k));
            SchemaNode oa = oreq.getOrDefault(k, o);
            SchemaNode na = nreq.getOrDefault(k, n);
            String p = s.path("dependentRequired", k);
            for (String x : b) {
                if (!a.contains(x)) {
                    s.change(Rule.DEPENDENT_REQUIRED_ADDED, p).between(oa, na).values(Json.brief(oa.json()), Json.brief(na.json()))
                            .breaks(Breaks.BACKWARD, "'" + x + "' is now required whenever '" + k + "' is present");
                }
            }
            for (String x : a) {
                if (!b.contains(x)) {
                    s.change(Rule.DEPENDENT_REQUIRED_REMOVED, p).between(oa, na).values(Json.brief(oa.json()), Json.brief(na.json()))
                            .breaks(Breaks.FORWARD, "'" + x + "' is no longer required when '" + k + "' is present");
                }
            }
        }
        keys = new LinkedHashSet<>(osch.keySet());
        keys.addAll(nsch.keySet());
        for (String k : keys) {
            SchemaNode a = osch.get(k);
            SchemaNode b = nsch.get(k);
            String p = s.path("dependentSchemas", k);
            if (a != null && b != null) {
                s.compare(a, b, p, Rule.CONSTRAINT_ADDED, Rule.CONSTRAINT_REMOVED);
            } else if (a == null) {
                s.change(Rule.CONSTRAINT_ADDED, p).between(o, b).values("(none)", Json.brief(b.json()))
                        .breaks(Breaks.BACKWARD, "dependent schema for '" + k + "' was added");
            } else {
                s.change(Rule.CONSTRAINT_REMOVED, p).between(a, n).values(Json.brief(a.json()), "(none)")
                        .breaks(Breaks.FORWARD, "dependent schema for '" + k + "' was removed");
            }
        }
    }

    private static Set<String> names(SchemaNode list) {
        Set<String> set = new LinkedHashSet<>();
        if (list != null) {
            list.json().forEach(x -> set.add(x.asText()));
        }
        return set;
    }

    private void collect(SchemaNode s, Map<String, SchemaNode> req, Map<String, SchemaNode> sch) {
        for (String k : List.of("dependencies", "dependentRequired", "dependentSchemas")) {
            SchemaNode d = s.child(k);
            if (d == null || !d.json().isObject() || !reads(k, s)) {
                continue;
            }
            for (Iterator<String> it = d.json().fieldNames(); it.hasNext(); ) {
                String name = it.next();
                SchemaNode v = d.child(name);
                if (v.json().isArray()) {
                    req.put(name, v);
                } else {
                    sch.put(name, v);
                }
            }
        }
    }
}
