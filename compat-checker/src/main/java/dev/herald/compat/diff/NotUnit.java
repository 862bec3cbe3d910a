package dev.herald.compat.diff;

import dev.herald.compat.Json;
import dev.herald.compat.Rule;
import java.util.Set;

/** {@code not}: its subschema is compared with the sense inverted (narrowing it widens the schema). */
final class NotUnit implements KeywordUnit {

    private static final Set<Rule> RULES = Set.of(Rule.CONSTRAINT_ADDED, Rule.CONSTRAINT_REMOVED);

    private static final Set<String> KEYWORDS = Set.of("not");

    @Override
    public Set<String> keywords() {
        return KEYWORDS;
    }

    @Override
    public Set<Rule> rules() {
        return RULES;
    }

    @Override
    public void compare(SchemaNode o, SchemaNode n, Scope s) {
        SchemaNode on = o.child("not");
        SchemaNode nn = n.child("not");
        if (on != null && nn != null) {
            s.compareNegated(on, nn, s.path("not"), Rule.CONSTRAINT_ADDED, Rule.CONSTRAINT_REMOVED);
        } else if (nn != null) {
            s.change(Rule.CONSTRAINT_ADDED, s.path("not")).between(o, nn).values("(none)", Json.brief(nn.json())).breaks(Breaks.BACKWARD, "not was added");
        } else if (on != null) {
            s.change(Rule.CONSTRAINT_REMOVED, s.path("not")).between(on, n).values(Json.brief(on.json()), "(none)").breaks(Breaks.FORWARD, "not was removed");
        }
    }
}
