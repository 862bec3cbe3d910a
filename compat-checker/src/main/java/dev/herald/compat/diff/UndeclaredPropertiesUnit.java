package dev.herald.compat.diff;

import com.fasterxml.jackson.databind.node.BooleanNode;
import dev.herald.compat.Json;
import dev.herald.compat.Rule;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * What an object accepts under names it does not declare: additionalProperties and
 * unevaluatedProperties (absent: anything) are compared as subschemas, patternProperties entry by
 * entry.
 */
final class UndeclaredPropertiesUnit implements KeywordUnit {

    @Override
    public Set<String> keywords() {
        return Set.of("additionalProperties", "patternProperties", "unevaluatedProperties");
    }

    @Override
    public Set<Rule> rules() {
        return Set.of(Rule.ADDITIONAL_PROPERTIES_CLOSED, Rule.ADDITIONAL_PROPERTIES_OPENED, Rule.PATTERN_PROPERTY_ADDED,
                Rule.PATTERN_PROPERTY_REMOVED);
    }

    @Override
    public boolean appliesTo(Set<String> oldTypes, Set<String> newTypes) {
        return Schemas.both(oldTypes, newTypes, "object");
    }

    @Override
    public void compare(SchemaNode o, SchemaNode n, Scope s) {
        for (String k : new String[] {"additionalProperties", "unevaluatedProperties"}) {
            if (k.equals("unevaluatedProperties") && !(o.defines(k) && n.defines(k))) {
                continue; // outside its draft: unmodeled
            }
            SchemaNode oap = o.child(k) != null ? o.child(k) : o.synthetic(BooleanNode.TRUE);
            SchemaNode nap = n.child(k) != null ? n.child(k) : n.synthetic(BooleanNode.TRUE);
            s.compare(oap, nap, s.path(k), Rule.ADDITIONAL_PROPERTIES_CLOSED, Rule.ADDITIONAL_PROPERTIES_OPENED);
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
                        .breaks(Breaks.BACKWARD, "patternProperties '" + pat + "' was added");
            } else {
                s.change(Rule.PATTERN_PROPERTY_REMOVED, p).between(a, n).values(Json.brief(a.json()), "(none)")
                        .breaks(Breaks.FORWARD, "patternProperties '" + pat + "' was removed");
            }
        }
    }
}
