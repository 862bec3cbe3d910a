package dev.herald.compat.diff;

import dev.herald.compat.Json;
import dev.herald.compat.Policy;
import dev.herald.compat.Rule;
import dev.herald.schema.Vocabulary;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Declared properties, their names and {@code required}: a removed or added property is judged
 * against what the other side applies to that name when it is not declared (a pattern, the
 * additional schema, or anything); a removal and an addition of the same shape is a rename;
 * reserved names stay reserved.
 */
final class PropertiesUnit implements KeywordUnit {

    private static final Set<Rule> RULES = Set.of(Rule.PROPERTY_REMOVED, Rule.PROPERTY_ADDED, Rule.PROPERTY_RENAMED, Rule.RESERVED_NAME_REUSED,
                Rule.RESERVED_NAME_DROPPED, Rule.REQUIRED_ADDED, Rule.REQUIRED_REMOVED);

    private static final Set<String> KEYWORDS = Set.of("properties", "required");

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

    private static Map<String, SchemaNode> properties(SchemaNode s) {
        Map<String, SchemaNode> map = new LinkedHashMap<>();
        SchemaNode p = s.child("properties");
        if (p != null && p.json().isObject()) {
            for (Iterator<String> it = p.json().fieldNames(); it.hasNext(); ) {
                String name = it.next();
                map.put(name, p.child(name));
            }
        }
        return map;
    }

    @Override
    public void compare(SchemaNode o, SchemaNode n, Scope s) {
        Map<String, SchemaNode> op = properties(o);
        Map<String, SchemaNode> np = properties(n);
        Set<String> oreq = Schemas.stringSet(o.json(), "required");
        Set<String> nreq = Schemas.stringSet(n.json(), "required");
        Set<String> oReserved = Schemas.stringSet(o.json(), Vocabulary.X_RESERVED);
        Set<String> nReserved = Schemas.stringSet(n.json(), Vocabulary.X_RESERVED);

        List<String> removed = new ArrayList<>(op.keySet());
        removed.removeAll(np.keySet());
        List<String> added = new ArrayList<>(np.keySet());
        added.removeAll(op.keySet());
        Map<String, String> renamed = renames(op, np, removed, added);

        for (Map.Entry<String, SchemaNode> e : op.entrySet()) {
            SchemaNode nn = np.get(e.getKey());
            if (nn != null) {
                s.compare(e.getValue(), nn, s.path("properties", e.getKey()));
            }
        }
        Set<String> removedForward = new HashSet<>();
        for (String r : removed) {
            if (!renamed.containsKey(r)) {
                Breaks b = removal(o, n, s, r, op.get(r), oreq, nReserved);
                if (b.forward()) {
                    removedForward.add(r);
                }
                s.change(Rule.PROPERTY_REMOVED, s.path("properties", r)).between(op.get(r), n.at("properties"))
                        .values(Json.brief(op.get(r).json()), "(absent)")
                        .breaks(b, "property '" + r + "' was removed" + (oreq.contains(r) ? " (it was required)" : ""));
            }
        }
        for (String a : added) {
            if (!renamed.containsValue(a)) {
                SchemaNode before = UndeclaredNames.reader(o, a);
                s.change(Rule.PROPERTY_ADDED, s.path("properties", a)).between(o.at("properties"), np.get(a))
                        .values(before == null ? "(unevaluatedProperties)" : Json.brief(before.json()), Json.brief(np.get(a).json()))
                        .breaks(addition(o, n, s, a, np.get(a)), "property '" + a + "' was added where the old schema " + (before == null
                                ? "applied unevaluatedProperties beside applicators (Herald cannot tell what it accepted)"
                                : Schemas.isFalse(before.json()) ? "accepted no such property (closed object)"
                                : Schemas.isTrue(before.json()) ? "accepted any value under that name (open object)"
                                : "accepted " + Json.brief(before.json()) + " for it"));
            }
        }
        for (Map.Entry<String, String> e : renamed.entrySet()) {
            String r = e.getKey();
            String a = e.getValue();
            boolean alias = Schemas.stringSet(np.get(a).json(), Vocabulary.X_ALIASES).contains(r);
            Breaks b;
            if (s.policy() == Policy.STRICT) {
                Breaks fr = trial(s, op.get(r), UndeclaredNames.reader(n, r), s.path("properties", r));
                Breaks fa = trial(s, UndeclaredNames.reader(o, a), np.get(a), s.path("properties", a));
                b = fr.or(fa).or(Breaks.of(nreq.contains(a), oreq.contains(r)));
            } else {
                b = Breaks.of(!alias, true);
            }
            s.change(Rule.PROPERTY_RENAMED, s.path("properties", a)).between(op.get(r), np.get(a)).values(r, a)
                    .breaks(b, "property '" + r + "' was renamed to '" + a + "'"
                            + (alias ? " (x-aliases keeps old data readable, but old readers miss '" + r + "')" : ""));
            // the shape may have changed as well (a rename declared with x-aliases)
            s.compare(op.get(r), np.get(a), s.path("properties", a));
        }
        for (String a : np.keySet()) {
            if (oReserved.contains(a) || nReserved.contains(a)) {
                s.change(Rule.RESERVED_NAME_REUSED, s.path("properties", a)).between(o, np.get(a)).values("reserved", a)
                        .breaks(Breaks.BOTH, "property '" + a + "' uses a reserved name");
            }
        }
        for (String r : oReserved) {
            if (!nReserved.contains(r)) {
                s.change(Rule.RESERVED_NAME_DROPPED, s.path(Vocabulary.X_RESERVED)).between(o.at(Vocabulary.X_RESERVED), n.at(Vocabulary.X_RESERVED))
                        .values(r, "(absent)").breaks(Breaks.BOTH, "'" + r + "' is no longer reserved");
            }
        }
        for (String a : nreq) {
            if (!oreq.contains(a) && !(renamed.containsValue(a) && oreq.contains(keyOf(renamed, a)))) {
                s.change(Rule.REQUIRED_ADDED, s.path("properties", a)).between(o.at("required"), n.at("required")).values("optional", "required")
                        .breaks(Breaks.BACKWARD, "property '" + a + "' is now required" + (op.containsKey(a) ? "" : " (new property)"));
            }
        }
        for (String r : oreq) {
            if (!nreq.contains(r) && !renamed.containsKey(r) && !removedForward.contains(r)) {
                s.change(Rule.REQUIRED_REMOVED, s.path("properties", r)).between(o.at("required"), n.at("required")).values("required", "optional")
                        .breaks(Breaks.FORWARD, "property '" + r + "' is no longer required");
            }
        }
    }

    /**
     * A removed property against what the new schema applies to its name. When the same pattern
     * applied to it before, the old value already satisfied it: only a wider pattern than the old
     * property breaks old readers.
     */
    private static Breaks removal(SchemaNode o, SchemaNode n, Scope s, String r, SchemaNode or, Set<String> oreq, Set<String> nReserved) {
        String at = s.path("properties", r);
        SchemaNode reader = UndeclaredNames.reader(n, r);
        boolean coveredBefore = UndeclaredNames.samePattern(o, reader, r);
        Breaks toReader = trial(s, or, reader, at);
        boolean backward = !coveredBefore && toReader.backward();
        if (s.policy() == Policy.STRICT) {
            return Breaks.of(backward, toReader.forward());
        }
        SchemaNode writer = UndeclaredNames.writer(n, r);
        boolean exempt = or.json().path("deprecated").asBoolean(false) && nReserved.contains(r) && !oreq.contains(r);
        return Breaks.of(backward, writer == null ? !exempt : trial(s, or, writer, at).forward());
    }

    /** An added property against what the old schema applied to its name (mirror of {@link #removal}). */
    private static Breaks addition(SchemaNode o, SchemaNode n, Scope s, String a, SchemaNode na) {
        String at = s.path("properties", a);
        SchemaNode reader = UndeclaredNames.reader(o, a);
        boolean coveredAfter = UndeclaredNames.samePattern(n, reader, a);
        Breaks fromReader = trial(s, reader, na, at);
        boolean forward = !coveredAfter && fromReader.forward();
        if (s.policy() == Policy.STRICT) {
            return Breaks.of(fromReader.backward(), forward);
        }
        SchemaNode writer = UndeclaredNames.writer(o, a);
        return Breaks.of(writer != null && trial(s, writer, na, at).backward(), forward);
    }

    /** Like {@link Scope#trial}, with an unknown side (null) breaking both ways. */
    private static Breaks trial(Scope s, SchemaNode o, SchemaNode n, String at) {
        return o == null || n == null ? Breaks.BOTH : s.trial(o, n, at);
    }

    /** Renames: x-aliases first, then a removal and an addition of the same shape. */
    private static Map<String, String> renames(Map<String, SchemaNode> op, Map<String, SchemaNode> np, List<String> removed, List<String> added) {
        Map<String, String> renamed = new LinkedHashMap<>();
        for (String a : added) {
            Set<String> aliases = Schemas.stringSet(np.get(a).json(), Vocabulary.X_ALIASES);
            for (String r : removed) {
                if (aliases.contains(r) && !renamed.containsKey(r)) {
                    renamed.put(r, a);
                    break;
                }
            }
        }
        for (String r : removed) {
            if (renamed.containsKey(r)) {
                continue;
            }
            String rs = Schemas.shape(op.get(r).json());
            boolean distinctive = Schemas.keywords(op.get(r).json()).size() >= 2;
            for (String a : added) {
                if (!renamed.containsValue(a) && Schemas.shape(np.get(a).json()).equals(rs) && (distinctive || shareWord(r, a))) {
                    renamed.put(r, a);
                    break;
                }
            }
        }
        return renamed;
    }

    /** Whether two property names share a word (customerName, buyerName: "name"). */
    static boolean shareWord(String a, String b) {
        Set<String> wa = words(a);
        for (String w : words(b)) {
            if (w.length() > 2 && wa.contains(w)) {
                return true;
            }
        }
        return false;
    }

    private static Set<String> words(String name) {
        Set<String> set = new HashSet<>();
        for (String w : name.split("(?<=[a-z0-9])(?=[A-Z])|[^A-Za-z0-9]+")) {
            if (!w.isEmpty()) {
                set.add(w.toLowerCase(Locale.ROOT));
            }
        }
        return set;
    }

    private static String keyOf(Map<String, String> map, String value) {
        for (Map.Entry<String, String> e : map.entrySet()) {
            if (e.getValue().equals(value)) {
                return e.getKey();
            }
        }
        return null;
    }
}
