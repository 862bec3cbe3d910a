package dev.herald.compat.diff;

import dev.herald.compat.Rule;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/** {@code type}: types removed narrow, types added widen; integer and number differ in Java. */
final class TypeUnit implements KeywordUnit {

    private static final Set<Rule> RULES = Set.of(Rule.TYPE_NARROWED, Rule.TYPE_WIDENED, Rule.TYPE_CHANGED, Rule.JAVA_TYPE_CHANGED);

    private static final Set<String> KEYWORDS = Set.of("type");

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
        Set<String> implied = s.impliedTypes(s.path());
        Set<String> ot = Schemas.types(o.json()) == null ? implied : Schemas.types(o.json());
        Set<String> nt = Schemas.types(n.json()) == null ? implied : Schemas.types(n.json());
        if (Objects.equals(ot, nt)) {
            return;
        }
        List<String> removed = new ArrayList<>();
        for (String t : ot == null ? Schemas.ALL_TYPES : ot) {
            if (!Schemas.covered(t, nt)) {
                removed.add(t);
            }
        }
        List<String> added = new ArrayList<>();
        for (String t : nt == null ? Schemas.ALL_TYPES : nt) {
            if (!Schemas.covered(t, ot)) {
                added.add(t);
            }
        }
        String ov = ot == null ? "(any)" : String.join("|", ot);
        String nv = nt == null ? "(any)" : String.join("|", nt);
        SchemaNode oa = o.at("type");
        SchemaNode na = n.at("type");
        String p = s.path("type");
        if (!removed.isEmpty() && !added.isEmpty()) {
            s.change(Rule.TYPE_CHANGED, p).between(oa, na).values(ov, nv).breaks(Breaks.BOTH, "type changed from " + ov + " to " + nv);
        } else if (!removed.isEmpty()) {
            s.change(Rule.TYPE_NARROWED, p).between(oa, na).values(ov, nv)
                    .breaks(Breaks.BACKWARD, "type narrowed from " + ov + " to " + nv + " (no longer accepts " + String.join(", ", removed) + ")");
        } else if (!added.isEmpty()) {
            s.change(Rule.TYPE_WIDENED, p).between(oa, na).values(ov, nv)
                    .breaks(Breaks.FORWARD, "type widened from " + ov + " to " + nv + " (now accepts " + String.join(", ", added) + ")");
        }
        boolean oInt = ot != null && ot.contains("integer") && !ot.contains("number");
        boolean nInt = nt != null && nt.contains("integer") && !nt.contains("number");
        boolean oNum = ot != null && ot.contains("number");
        boolean nNum = nt != null && nt.contains("number");
        if (oInt && nNum || oNum && nInt) {
            String from = javaType(oInt ? "integer" : "number");
            String to = javaType(nInt ? "integer" : "number");
            s.change(Rule.JAVA_TYPE_CHANGED, p).between(oa, na).values(ov, nv).breaks(Breaks.NONE,
                    "the generated Java type changes from " + from + " to " + to);
        }
    }

    /** The generated type, as the generator decides it: from the vocabulary. */
    static String javaType(String jsonType) {
        return dev.herald.schema.Vocabulary.scalarType(jsonType, null).orElseThrow().simpleName();
    }
}
