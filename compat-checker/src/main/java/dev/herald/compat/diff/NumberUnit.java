package dev.herald.compat.diff;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.compat.Rule;
import java.math.BigDecimal;
import java.util.Set;

/** Numeric bounds (draft 4's boolean exclusive bounds included) and {@code multipleOf}. */
final class NumberUnit implements KeywordUnit {

    private static final Set<Rule> RULES = Set.of(Rule.MINIMUM_INCREASED, Rule.MINIMUM_DECREASED, Rule.MAXIMUM_DECREASED, Rule.MAXIMUM_INCREASED,
                Rule.MULTIPLE_OF_CHANGED);

    private static final Set<String> KEYWORDS = Set.of("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf");

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
        return Schemas.both(oldTypes, newTypes, "number") || Schemas.both(oldTypes, newTypes, "integer");
    }

    private record Bound(BigDecimal value, boolean exclusive, String keyword) {
        @Override
        public String toString() {
            return (exclusive ? "exclusive " : "") + value.stripTrailingZeros().toPlainString();
        }
    }

    private static Bound bound(JsonNode s, boolean lower) {
        String inclusiveKey = lower ? "minimum" : "maximum";
        String exclusiveKey = lower ? "exclusiveMinimum" : "exclusiveMaximum";
        JsonNode inc = s.get(inclusiveKey);
        JsonNode exc = s.get(exclusiveKey);
        Bound a = null;
        if (inc != null && inc.isNumber()) {
            boolean draft4Exclusive = exc != null && exc.isBoolean() && exc.booleanValue();
            a = new Bound(inc.decimalValue(), draft4Exclusive, draft4Exclusive ? exclusiveKey : inclusiveKey);
        }
        if (exc != null && exc.isNumber()) {
            Bound b = new Bound(exc.decimalValue(), true, exclusiveKey);
            a = a == null || stricter(b, a, lower) ? b : a;
        }
        return a;
    }

    /** Whether bound a is stricter than bound b. */
    private static boolean stricter(Bound a, Bound b, boolean lower) {
        if (a == null) {
            return false;
        }
        if (b == null) {
            return true;
        }
        int c = a.value.compareTo(b.value);
        if (c != 0) {
            return lower ? c > 0 : c < 0;
        }
        return a.exclusive && !b.exclusive;
    }

    @Override
    public void compare(SchemaNode o, SchemaNode n, Scope s) {
        for (boolean lower : new boolean[] {true, false}) {
            Bound ob = bound(o.json(), lower);
            Bound nb = bound(n.json(), lower);
            String k = nb != null ? nb.keyword : ob != null ? ob.keyword : lower ? "minimum" : "maximum";
            String os = ob == null ? "(none)" : ob.toString();
            String ns = nb == null ? "(none)" : nb.toString();
            SchemaNode oa = ob != null ? o.at(ob.keyword) : o;
            SchemaNode na = nb != null ? n.at(nb.keyword) : n;
            String side = lower ? "lower" : "upper";
            if (stricter(nb, ob, lower)) {
                s.change(lower ? Rule.MINIMUM_INCREASED : Rule.MAXIMUM_DECREASED, s.path(k)).between(oa, na).values(os, ns)
                        .breaks(Breaks.BACKWARD, side + " bound tightened from " + os + " to " + ns);
            } else if (stricter(ob, nb, lower)) {
                s.change(lower ? Rule.MINIMUM_DECREASED : Rule.MAXIMUM_INCREASED, s.path(k)).between(oa, na).values(os, ns)
                        .breaks(Breaks.FORWARD, side + " bound relaxed from " + os + " to " + ns);
            }
        }
        JsonNode om = o.json().get("multipleOf");
        JsonNode nm = n.json().get("multipleOf");
        if (om == null && nm == null || om != null && nm != null && om.decimalValue().compareTo(nm.decimalValue()) == 0) {
            return;
        }
        Breaks b;
        if (om == null) {
            b = Breaks.BACKWARD;
        } else if (nm == null) {
            b = Breaks.FORWARD;
        } else {
            BigDecimal x = om.decimalValue();
            BigDecimal y = nm.decimalValue();
            boolean widens = y.signum() != 0 && x.remainder(y).signum() == 0;   // new divides old
            boolean narrows = x.signum() != 0 && y.remainder(x).signum() == 0;  // old divides new
            b = Breaks.of(!widens, !narrows);
        }
        String os = om == null ? "(none)" : om.asText();
        String ns = nm == null ? "(none)" : nm.asText();
        s.change(Rule.MULTIPLE_OF_CHANGED, s.path("multipleOf")).between(o.at("multipleOf"), n.at("multipleOf")).values(os, ns)
                .breaks(b, "multipleOf changed from " + os + " to " + ns);
    }
}
