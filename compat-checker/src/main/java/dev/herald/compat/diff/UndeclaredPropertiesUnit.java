package dev.herald.compat.diff;

import dev.herald.compat.Json;
import dev.herald.compat.PatternLanguage;
import dev.herald.compat.Rule;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * What an object accepts under names it does not declare: additionalProperties and
 * unevaluatedProperties (absent: anything) are compared as subschemas, patternProperties entry by
 * entry.
 */
final class UndeclaredPropertiesUnit implements KeywordUnit {

    private static final Set<Rule> RULES = Set.of(Rule.ADDITIONAL_PROPERTIES_CLOSED, Rule.ADDITIONAL_PROPERTIES_OPENED, Rule.PATTERN_PROPERTY_ADDED,
                Rule.PATTERN_PROPERTY_REMOVED);

    private static final Set<String> KEYWORDS = Set.of("additionalProperties", "patternProperties", "unevaluatedProperties");

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
        // one schema decides the names no pattern matches: additionalProperties, else unevaluatedProperties
        SchemaNode orest = UndeclaredNames.rest(o);
        SchemaNode nrest = UndeclaredNames.rest(n);
        if (orest != null && nrest != null) {
            s.compare(orest, nrest, s.path(UndeclaredNames.restKeyword(n)), Rule.ADDITIONAL_PROPERTIES_CLOSED, Rule.ADDITIONAL_PROPERTIES_OPENED);
        } else if (!java.util.Objects.equals(o.json().get("unevaluatedProperties"), n.json().get("unevaluatedProperties"))
                || !java.util.Objects.equals(o.json().get("additionalProperties"), n.json().get("additionalProperties"))
                || (orest == null) != (nrest == null)) {
            s.change(Rule.ADDITIONAL_PROPERTIES_CLOSED, s.path("unevaluatedProperties")).between(o.at("unevaluatedProperties"), n.at("unevaluatedProperties"))
                    .values(Json.brief(o.json().get("unevaluatedProperties")), Json.brief(n.json().get("unevaluatedProperties")))
                    .breaks(Breaks.BOTH, "the names no property or pattern covers are decided by unevaluatedProperties beside applicators "
                            + "that may evaluate them, and it changed: Herald cannot tell what each side accepts there");
        } else if (orest == null) {
            if (Unevaluated.neighboursChanged(o, n, s, "unevaluatedProperties")) {
                s.change(Rule.ADDITIONAL_PROPERTIES_CLOSED, s.path("unevaluatedProperties")).between(o.at("unevaluatedProperties"), n.at("unevaluatedProperties"))
                        .values(Json.brief(o.json().get("unevaluatedProperties")), Json.brief(n.json().get("unevaluatedProperties")))
                        .breaks(Breaks.BOTH, "what the applicators beside unevaluatedProperties evaluate changed, so which names it decides "
                                + "changed: Herald cannot tell what each side accepts there");
            } else {
                // both unknown, nothing else changed: compare what unevaluatedProperties itself accepts
                s.compare(o.child("unevaluatedProperties"), n.child("unevaluatedProperties"), s.path("unevaluatedProperties"),
                        Rule.ADDITIONAL_PROPERTIES_CLOSED, Rule.ADDITIONAL_PROPERTIES_OPENED);
            }
        }
        SchemaNode opp = o.child("patternProperties");
        SchemaNode npp = n.child("patternProperties");
        Set<String> patterns = new LinkedHashSet<>();
        if (opp != null) {
            opp.json().fieldNames().forEachRemaining(patterns::add);
        }
        if (npp != null) {
            npp.json().fieldNames().forEachRemaining(patterns::add);
        }
        for (String pat : patterns) {
            SchemaNode a = opp == null ? null : opp.child(pat);
            SchemaNode b = npp == null ? null : npp.child(pat);
            String p = s.path("patternProperties", pat);
            if (a != null && b != null) {
                s.compare(a, b, p, Rule.PATTERN_PROPERTY_ADDED, Rule.PATTERN_PROPERTY_REMOVED);
            } else if (a == null) {
                s.change(Rule.PATTERN_PROPERTY_ADDED, p).between(o, b).values("(none)", Json.brief(b.json()))
                        .breaks(patternAdded(o, n, pat, b, s), "patternProperties '" + pat + "' was added");
            } else {
                s.change(Rule.PATTERN_PROPERTY_REMOVED, p).between(a, n).values(Json.brief(a.json()), "(none)")
                        .breaks(patternAdded(n, o, pat, a, s).inverted(), "patternProperties '" + pat + "' was removed");
            }
        }
    }

    /**
     * A pattern {@code added} in {@code to} that {@code from} lacks: names matching it were read by
     * from's other patterns or its additional schema (undeclared names) and are read by the pattern
     * now, and a property {@code to} declares under such a name must match it as well.
     */
    private static Breaks patternAdded(SchemaNode from, SchemaNode to, String pattern, SchemaNode added, Scope s) {
        String at = s.path("patternProperties", pattern);
        SchemaNode rest = UndeclaredNames.rest(from);
        Breaks b = rest == null ? Breaks.BOTH : s.trial(rest, added, at);
        SchemaNode others = from.child("patternProperties");
        if (others != null) {
            for (java.util.Iterator<String> it = others.json().fieldNames(); it.hasNext(); ) {
                String other = it.next();
                if (PatternLanguage.mayOverlap(other, pattern)) {
                    b = b.or(s.trial(others.child(other), added, at)); // a name matching both was read by the other one
                }
            }
        }
        SchemaNode declared = to.child("properties");
        if (declared != null && declared.json().isObject()) {
            for (java.util.Iterator<String> it = declared.json().fieldNames(); it.hasNext(); ) {
                String name = it.next();
                Boolean m = UndeclaredNames.matches(pattern, name);
                if (m == null) {
                    return Breaks.BOTH;
                }
                if (m) {
                    SchemaNode before = from.json().path("properties").has(name) ? from.child("properties").child(name) : UndeclaredNames.reader(from, name);
                    b = b.or(before == null ? Breaks.BOTH : Breaks.of(s.trial(before, added, at).backward(), false));
                }
            }
        }
        return b;
    }
}
