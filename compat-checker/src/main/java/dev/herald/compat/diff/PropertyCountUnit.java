package dev.herald.compat.diff;

import dev.herald.compat.Rule;
import java.math.BigDecimal;
import java.util.Set;

/** {@code propertyNames}, {@code minProperties}, {@code maxProperties}: what names and how many. */
final class PropertyCountUnit implements KeywordUnit {

    private static final Set<Rule> RULES = Set.of(Rule.CONSTRAINT_ADDED, Rule.CONSTRAINT_REMOVED, Rule.MIN_PROPERTIES_INCREASED, Rule.MIN_PROPERTIES_DECREASED,
                Rule.MAX_PROPERTIES_DECREASED, Rule.MAX_PROPERTIES_INCREASED);

    private static final Set<String> KEYWORDS = Set.of("propertyNames", "minProperties", "maxProperties");

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
        Bounds.optionalSubschema(o, n, s, "propertyNames", "propertyNames");
        Bounds.lower(o, n, s, "minProperties", BigDecimal.ZERO, Rule.MIN_PROPERTIES_INCREASED, Rule.MIN_PROPERTIES_DECREASED);
        Bounds.upper(o, n, s, "maxProperties", Rule.MAX_PROPERTIES_DECREASED, Rule.MAX_PROPERTIES_INCREASED);
    }
}
