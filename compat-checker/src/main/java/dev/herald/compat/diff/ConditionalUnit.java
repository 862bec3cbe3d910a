package dev.herald.compat.diff;

import dev.herald.compat.Json;
import dev.herald.compat.Rule;
import java.util.Set;

/**
 * {@code if}/{@code then}/{@code else}: a changed condition moves data between branches, which
 * Herald cannot order; with the same condition, then and else are compared as constraints.
 */
final class ConditionalUnit implements KeywordUnit {

    private static final Set<Rule> RULES = Set.of(Rule.CONSTRAINT_CHANGED, Rule.CONSTRAINT_ADDED, Rule.CONSTRAINT_REMOVED);

    private static final Set<String> KEYWORDS = Set.of("if", "then", "else");

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
        SchemaNode oi = o.child("if");
        SchemaNode ni = n.child("if");
        if (oi == null && ni == null) {
            return;
        }
        boolean same = oi != null && ni != null && oi.json().equals(ni.json()) && s.trial(oi, ni, s.path("if")) == Breaks.NONE;
        if (!same) {
            s.change(Rule.CONSTRAINT_CHANGED, s.path("if")).between(oi != null ? oi : o, ni != null ? ni : n)
                    .values(oi == null ? "(none)" : Json.brief(oi.json()), ni == null ? "(none)" : Json.brief(ni.json()))
                    .breaks(Breaks.BOTH, "the if condition changed; which branch applies to which data changed");
        }
        for (String k : new String[] {"then", "else"}) {
            CompositionUnit.imply(o, n, s.path(k), s);
            Bounds.optionalSubschema(o, n, s, k, k);
        }
    }
}
