package dev.herald.compat.diff;

import dev.herald.compat.Json;
import dev.herald.compat.Rule;
import java.math.BigDecimal;
import java.util.Set;

/**
 * {@code contains} with its counts: the subschema is compared like any other, minContains
 * (absent: 1) is a lower bound, maxContains an upper one. A contains with minContains 0 and no
 * maxContains accepts every array, the same as none.
 */
final class ContainsUnit implements KeywordUnit {

    private static final Set<Rule> RULES = Set.of(Rule.CONSTRAINT_ADDED, Rule.CONSTRAINT_REMOVED, Rule.MIN_CONTAINS_INCREASED, Rule.MIN_CONTAINS_DECREASED,
                Rule.MAX_CONTAINS_DECREASED, Rule.MAX_CONTAINS_INCREASED, Rule.CONSTRAINT_CHANGED);

    private static final Set<String> KEYWORDS = Set.of("contains", "minContains", "maxContains");

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
        return Schemas.both(oldTypes, newTypes, "array");
    }

    @Override
    public void compare(SchemaNode o, SchemaNode n, Scope s) {
        boolean oc = constrains(o);
        boolean nc = constrains(n);
        if (oc && nc) {
            if (o.has("maxContains") || n.has("maxContains")) {
                // with an upper count a wider contains counts more items against it: no direction is safe
                if (s.trial(o.child("contains"), n.child("contains"), s.path("contains")) != Breaks.NONE) {
                    s.change(Rule.CONSTRAINT_CHANGED, s.path("contains")).between(o.at("contains"), n.at("contains"))
                            .values(Json.brief(o.json().get("contains")), Json.brief(n.json().get("contains")))
                            .breaks(Breaks.BOTH, "contains changed beside maxContains: a wider contains counts more items against the "
                                    + "upper limit, a narrower one fewer toward the lower");
                }
            } else {
                s.compare(o.child("contains"), n.child("contains"), s.path("contains"), Rule.CONSTRAINT_ADDED, Rule.CONSTRAINT_REMOVED);
            }
            Bounds.lower(o, n, s, "minContains", BigDecimal.ONE, Rule.MIN_CONTAINS_INCREASED, Rule.MIN_CONTAINS_DECREASED);
            Bounds.upper(o, n, s, "maxContains", Rule.MAX_CONTAINS_DECREASED, Rule.MAX_CONTAINS_INCREASED);
        } else if (oc || nc) {
            Bounds.optionalSubschema(oc ? o : o.synthetic(Schemas.F.objectNode()), nc ? n : n.synthetic(Schemas.F.objectNode()), s,
                    "contains", "contains");
        }
    }

    /** Whether contains refuses some array: present, and not "at least 0 with no upper limit". */
    private static boolean constrains(SchemaNode s) {
        if (!s.has("contains")) {
            return false;
        }
        boolean counts = s.defines("minContains");
        boolean zero = counts && s.json().path("minContains").isNumber() && s.json().get("minContains").decimalValue().signum() == 0;
        return !zero || s.has("maxContains");
    }
}
