package dev.herald.compat.diff;

import com.fasterxml.jackson.databind.node.BooleanNode;
import dev.herald.compat.PatternLanguage;
import java.util.Iterator;
import java.util.Set;

/**
 * What an object schema applies to a name it does not declare in {@code properties}: a matching
 * patternProperties entry, else the schema for the rest of the names ({@link #rest}). Where Herald
 * cannot tell (unevaluatedProperties beside applicators, a pattern it cannot read), the answer is
 * null: "unknown", which callers count as breaking both ways.
 */
final class UndeclaredNames {

    /** Keywords that may evaluate properties beside properties/patternProperties. */
    private static final Set<String> EVALUATING = Set.of("allOf", "anyOf", "oneOf", "not", "if", "then", "else",
            "dependentSchemas", "dependencies", "$dynamicRef", "$recursiveRef");

    private UndeclaredNames() {
    }

    /** Thrown inside when whether a pattern matches a name cannot be told. */
    private static final class Unknown extends Exception {
        private static final long serialVersionUID = 1L;

        Unknown() {
            super(null, null, false, false);
        }
    }

    /** The schema a reader applies to an undeclared name; null when Herald cannot tell. */
    static SchemaNode reader(SchemaNode s, String name) {
        try {
            SchemaNode pp = matchingPattern(s, name);
            return pp != null ? pp : rest(s);
        } catch (Unknown e) {
            return null;
        }
    }

    /**
     * The schema for names matched by no pattern: additionalProperties, else unevaluatedProperties
     * (which then evaluates them), else anything; null when unevaluatedProperties sits beside
     * applicators that may evaluate some of those names.
     */
    static SchemaNode rest(SchemaNode s) {
        SchemaNode ap = s.child("additionalProperties");
        if (ap != null) {
            return ap;
        }
        SchemaNode up = s.child("unevaluatedProperties");
        if (up == null) {
            return s.synthetic(BooleanNode.TRUE);
        }
        for (String k : EVALUATING) {
            if (s.has(k)) {
                return null;
            }
        }
        return up;
    }

    /** The keyword {@link #rest} reads ("additionalProperties" when there is none). */
    static String restKeyword(SchemaNode s) {
        return !s.has("additionalProperties") && s.has("unevaluatedProperties") ? "unevaluatedProperties" : "additionalProperties";
    }

    /**
     * What a writer may send under an undeclared name, in the robust model (writers send only what
     * they declare): a matching patternProperties entry or a restricting rest schema; null when it
     * never sends that name; anything when Herald cannot tell.
     */
    static SchemaNode writer(SchemaNode s, String name) {
        SchemaNode r;
        try {
            SchemaNode pp = matchingPattern(s, name);
            if (pp != null) {
                return pp;
            }
            r = rest(s);
        } catch (Unknown e) {
            r = null;
        }
        if (r == null) {
            return s.synthetic(BooleanNode.TRUE);
        }
        return r.json().isObject() && !Schemas.isTrue(r.json()) ? r : null;
    }

    /** Whether {@code s} applies a pattern schema equal to {@code other} to {@code name} (false when unknown). */
    static boolean samePattern(SchemaNode s, SchemaNode other, String name) {
        try {
            SchemaNode p = matchingPattern(s, name);
            return p != null && other != null && p.json().equals(other.json());
        } catch (Unknown e) {
            return false;
        }
    }

    /**
     * Whether {@code pattern} matches {@code name} as ECMA-262 does; null when Herald cannot tell
     * (outside the regular subset Java's regex is no stand-in: its \s, . and \b differ).
     */
    static Boolean matches(String pattern, String name) {
        return PatternLanguage.matches(pattern, name);
    }

    private static SchemaNode matchingPattern(SchemaNode s, String name) throws Unknown {
        SchemaNode pp = s.child("patternProperties");
        if (pp == null || !pp.json().isObject()) {
            return null;
        }
        SchemaNode found = null;
        for (Iterator<String> it = pp.json().fieldNames(); it.hasNext(); ) {
            String regex = it.next();
            Boolean m = matches(regex, name);
            if (m == null) {
                throw new Unknown();
            }
            if (m) {
                if (found != null) {
                    throw new Unknown(); // every matching pattern applies: their intersection is not modelled
                }
                found = pp.child(regex);
            }
        }
        return found;
    }
}
