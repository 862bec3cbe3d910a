package dev.herald.compat.diff;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.compat.Json;
import dev.herald.compat.PatternLanguage;
import dev.herald.compat.Rule;
import dev.herald.schema.Vocabulary;
import java.math.BigDecimal;
import java.util.Objects;
import java.util.Set;

/**
 * String keywords: lengths are bounds, a pattern is judged by the language it accepts, a format
 * and the content keywords must stay equal, and a format may change the generated Java type.
 */
final class StringUnit implements KeywordUnit {

    private static final Set<Rule> RULES = Set.of(Rule.MIN_LENGTH_INCREASED, Rule.MIN_LENGTH_DECREASED, Rule.MAX_LENGTH_DECREASED, Rule.MAX_LENGTH_INCREASED,
                Rule.PATTERN_ADDED, Rule.PATTERN_REMOVED, Rule.PATTERN_CHANGED, Rule.FORMAT_ADDED, Rule.FORMAT_REMOVED,
                Rule.FORMAT_CHANGED, Rule.CONTENT_CHANGED, Rule.JAVA_TYPE_CHANGED);

    private static final Set<String> KEYWORDS = Set.of("minLength", "maxLength", "pattern", "format", "contentEncoding", "contentMediaType", "contentSchema");

    private static final java.util.List<String> CONTENT = java.util.List.of("contentEncoding", "contentMediaType", "contentSchema");

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
        return Schemas.both(oldTypes, newTypes, "string");
    }

    @Override
    public void compare(SchemaNode o, SchemaNode n, Scope s) {
        Bounds.lower(o, n, s, "minLength", BigDecimal.ZERO, Rule.MIN_LENGTH_INCREASED, Rule.MIN_LENGTH_DECREASED);
        Bounds.upper(o, n, s, "maxLength", Rule.MAX_LENGTH_DECREASED, Rule.MAX_LENGTH_INCREASED);
        comparePatterns(o, n, s);
        String of = Schemas.text(o.json(), "format");
        String nf = Schemas.text(n.json(), "format");
        Bounds.exact(o, n, s, "format", Rule.FORMAT_ADDED, Rule.FORMAT_REMOVED, Rule.FORMAT_CHANGED);
        if (!Objects.equals(javaType(of), javaType(nf))) {
            s.change(Rule.JAVA_TYPE_CHANGED, s.path("format")).between(o.at("format"), n.at("format"))
                    .values(String.valueOf(of), String.valueOf(nf))
                    .breaks(Breaks.NONE, "the generated Java type changes from " + javaType(of) + " to " + javaType(nf));
        }
        for (String k : CONTENT) {
            Bounds.exact(o, n, s, k, Rule.CONTENT_CHANGED, Rule.CONTENT_CHANGED, Rule.CONTENT_CHANGED);
        }
    }

    /**
     * A changed pattern is judged by the languages of the two patterns: widened (every old value
     * still matches) breaks nobody reading old data, narrowed breaks them, and each direction that
     * breaks is shown with a value. Patterns outside the regular subset count as changed both ways.
     */
    private static void comparePatterns(SchemaNode o, SchemaNode n, Scope s) {
        JsonNode ov = o.json().get("pattern");
        JsonNode nv = n.json().get("pattern");
        if (ov == null || nv == null || Objects.equals(ov, nv) || !ov.isTextual() || !nv.isTextual()) {
            Bounds.exact(o, n, s, "pattern", Rule.PATTERN_ADDED, Rule.PATTERN_REMOVED, Rule.PATTERN_CHANGED);
            return;
        }
        PatternLanguage.Comparison c = PatternLanguage.compare(ov.textValue(), nv.textValue());
        Scope.Report r = s.change(Rule.PATTERN_CHANGED, s.path("pattern")).between(o.at("pattern"), n.at("pattern"))
                .values(Json.brief(ov), Json.brief(nv));
        if (c.undecided() != null) {
            r.breaks(Breaks.BOTH, "pattern changed from " + Json.brief(ov) + " to " + Json.brief(nv) + "; Herald cannot compare them: " + c.undecided());
            return;
        }
        if (c.onlyInOld() == null && c.onlyInNew() == null) {
            return; // the same language, written differently
        }
        StringBuilder why = new StringBuilder("pattern changed from " + Json.brief(ov) + " to " + Json.brief(nv));
        if (c.onlyInOld() != null) {
            why.append("; the old pattern accepts ").append(Json.brief(Schemas.F.textNode(c.onlyInOld()))).append(", the new one refuses it");
        }
        if (c.onlyInNew() != null) {
            why.append("; the new pattern accepts ").append(Json.brief(Schemas.F.textNode(c.onlyInNew()))).append(", the old one refuses it");
        }
        r.breaks(Breaks.of(c.onlyInOld() != null, c.onlyInNew() != null), why.toString());
    }

    /** The generated type, as the generator decides it: from the vocabulary. */
    private static String javaType(String format) {
        return Vocabulary.scalarType("string", format).orElseThrow().simpleName();
    }
}
