package dev.herald.compat.diff;

import com.fasterxml.jackson.databind.node.BooleanNode;
import dev.herald.compat.Json;
import dev.herald.compat.Rule;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Array positions and counts: each position of the two tuples is compared with the schema the
 * other side applies there (its tuple entry, else the schema for the rest), then the rest, then
 * minItems, maxItems and uniqueItems. The rest is {@code items} (2020-12 after prefixItems, or
 * every item), {@code additionalItems} after a draft-07 tuple, or {@code unevaluatedItems} when
 * nothing else evaluates the items.
 */
final class ArrayUnit implements KeywordUnit {

    private static final Set<Rule> RULES = Set.of(Rule.ITEMS_FORBIDDEN, Rule.ITEMS_ALLOWED, Rule.MIN_ITEMS_INCREASED, Rule.MIN_ITEMS_DECREASED,
                Rule.MAX_ITEMS_DECREASED, Rule.MAX_ITEMS_INCREASED, Rule.UNIQUE_ITEMS_ADDED, Rule.UNIQUE_ITEMS_REMOVED,
                Rule.CONSTRAINT_CHANGED);

    private static final Set<String> KEYWORDS = Set.of("items", "prefixItems", "additionalItems", "unevaluatedItems", "minItems", "maxItems", "uniqueItems");

    /** Keywords that may evaluate items beside the tuple, so unevaluatedItems does not tell alone what the rest accepts. */
    private static final Set<String> EVALUATING = Set.of("allOf", "anyOf", "oneOf", "not", "if", "then", "else",
            "contains", "$dynamicRef", "$recursiveRef");

    @Override
    public Set<String> keywords() {
        return KEYWORDS;
    }

    @Override
    public boolean reads(String keyword, SchemaNode schema) {
        if (keyword.equals("additionalItems")) {
            return schema.defines(keyword) && tuple(schema); // beside a schema-valued items it does nothing, and is unmodeled
        }
        if (keyword.equals("items") && schema.json().get("items").isArray()) {
            return schema.tupleItems();
        }
        return KeywordUnit.super.reads(keyword, schema);
    }

    @Override
    public Set<Rule> rules() {
        return RULES;
    }

    @Override
    public boolean appliesTo(Set<String> oldTypes, Set<String> newTypes) {
        return Schemas.both(oldTypes, newTypes, "array");
    }

    private static boolean tuple(SchemaNode s) {
        return s.tupleItems() && s.has("items") && s.json().get("items").isArray();
    }

    private static List<SchemaNode> prefix(SchemaNode s) {
        SchemaNode p = s.defines("prefixItems") ? s.child("prefixItems") : null;
        if (p == null && tuple(s)) {
            p = s.child("items");
        }
        List<SchemaNode> list = new ArrayList<>();
        if (p != null && p.json().isArray()) {
            for (int i = 0; i < p.json().size(); i++) {
                list.add(p.child(i));
            }
        }
        return list;
    }

    private static String prefixKey(SchemaNode s) {
        return s.has("prefixItems") && s.defines("prefixItems") ? "prefixItems" : "items";
    }

    private static String restKey(SchemaNode s) {
        return tuple(s) && !(s.has("prefixItems") && s.defines("prefixItems")) ? "additionalItems" : "items";
    }

    /** Whether unevaluatedItems is what applies to the items after the tuple. */
    private static boolean unevaluatedIsRest(SchemaNode s) {
        return !s.has(restKey(s)) && s.has("unevaluatedItems") && s.defines("unevaluatedItems");
    }

    /** The schema for items after the tuple; null when Herald cannot tell (unevaluatedItems beside applicators). */
    private static SchemaNode rest(SchemaNode s) {
        SchemaNode r = s.child(restKey(s));
        if (r != null && !(restKey(s).equals("items") && r.json().isArray())) {
            return r;
        }
        if (unevaluatedIsRest(s)) {
            for (String k : EVALUATING) {
                if (s.has(k)) {
                    return null;
                }
            }
            return s.child("unevaluatedItems");
        }
        return s.synthetic(BooleanNode.TRUE);
    }

    @Override
    public void compare(SchemaNode o, SchemaNode n, Scope s) {
        List<SchemaNode> op = prefix(o);
        List<SchemaNode> np = prefix(n);
        SchemaNode or = rest(o);
        SchemaNode nr = rest(n);
        int len = Math.max(op.size(), np.size());
        for (int i = 0; i < len; i++) {
            SchemaNode oi = i < op.size() ? op.get(i) : or;
            SchemaNode ni = i < np.size() ? np.get(i) : nr;
            String at = s.path(i < np.size() ? prefixKey(n) : prefixKey(o), String.valueOf(i));
            if (oi == null || ni == null) {
                s.change(Rule.CONSTRAINT_CHANGED, at).between(oi != null ? oi : o, ni != null ? ni : n)
                        .values(oi == null ? "(unevaluatedItems)" : Json.brief(oi.json()), ni == null ? "(unevaluatedItems)" : Json.brief(ni.json()))
                        .breaks(Breaks.BOTH, "array position " + i + " is in one tuple only, and the other side's unevaluatedItems sits beside "
                                + "applicators that may evaluate it: Herald cannot tell what that side accepts there");
            } else {
                s.compare(oi, ni, at);
            }
        }
        if (or != null && nr != null) {
            s.compare(or, nr, s.path(restKey(n)));
        } else if (or == null && nr == null) {
            if (Unevaluated.neighboursChanged(o, n, s, "unevaluatedItems")) {
                s.change(Rule.CONSTRAINT_CHANGED, s.path("unevaluatedItems")).between(o.at("unevaluatedItems"), n.at("unevaluatedItems"))
                        .values(Json.brief(o.json().get("unevaluatedItems")), Json.brief(n.json().get("unevaluatedItems")))
                        .breaks(Breaks.BOTH, "what the applicators beside unevaluatedItems evaluate changed, so which items it decides "
                                + "changed: Herald cannot tell what each side accepts there");
            } else {
                // both decided by unevaluatedItems beside unchanged applicators: what it accepts narrows or widens
                s.compare(o.child("unevaluatedItems"), n.child("unevaluatedItems"), s.path("unevaluatedItems"));
            }
        } else {
            s.change(Rule.CONSTRAINT_CHANGED, s.path("unevaluatedItems")).between(o.at("unevaluatedItems"), n.at("unevaluatedItems"))
                    .values(or == null ? "(unevaluatedItems)" : Json.brief(or.json()), nr == null ? "(unevaluatedItems)" : Json.brief(nr.json()))
                    .breaks(Breaks.BOTH, "the items after the tuple are governed by unevaluatedItems beside applicators on one side only: "
                            + "Herald cannot tell what that side accepts there");
        }
        // unevaluatedItems where it is not the rest on both sides: what it accepts still narrows or widens
        if (!(unevaluatedIsRest(o) && unevaluatedIsRest(n)) && (o.has("unevaluatedItems") || n.has("unevaluatedItems"))
                && o.defines("unevaluatedItems") && n.defines("unevaluatedItems")
                && !java.util.Objects.equals(o.json().get("unevaluatedItems"), n.json().get("unevaluatedItems"))) {
            s.compare(o.has("unevaluatedItems") ? o.child("unevaluatedItems") : o.synthetic(BooleanNode.TRUE),
                    n.has("unevaluatedItems") ? n.child("unevaluatedItems") : n.synthetic(BooleanNode.TRUE), s.path("unevaluatedItems"));
        }
        Bounds.lower(o, n, s, "minItems", BigDecimal.ZERO, Rule.MIN_ITEMS_INCREASED, Rule.MIN_ITEMS_DECREASED);
        Bounds.upper(o, n, s, "maxItems", Rule.MAX_ITEMS_DECREASED, Rule.MAX_ITEMS_INCREASED);
        boolean ou = o.json().path("uniqueItems").asBoolean(false);
        boolean nu = n.json().path("uniqueItems").asBoolean(false);
        if (!ou && nu) {
            s.change(Rule.UNIQUE_ITEMS_ADDED, s.path("uniqueItems")).between(o, n.at("uniqueItems")).values("false", "true")
                    .breaks(Breaks.BACKWARD, "uniqueItems turned on");
        } else if (ou && !nu) {
            s.change(Rule.UNIQUE_ITEMS_REMOVED, s.path("uniqueItems")).between(o.at("uniqueItems"), n).values("true", "false")
                    .breaks(Breaks.FORWARD, "uniqueItems turned off");
        }
    }
}
