package dev.herald.compat.diff;

import com.fasterxml.jackson.databind.node.BooleanNode;
import java.util.Iterator;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * What an object schema applies to a name it does not declare in {@code properties}: a matching
 * patternProperties entry, else additionalProperties, else unevaluatedProperties, else anything.
 */
final class UndeclaredNames {

    /** Keywords that may evaluate properties beside properties/patternProperties. */
    private static final Set<String> EVALUATING = Set.of("allOf", "anyOf", "oneOf", "not", "if", "then", "else",
            "dependentSchemas", "dependencies", "$dynamicRef", "$recursiveRef");

    private UndeclaredNames() {
    }

    /** The schema a reader applies to an undeclared name; null when Herald cannot tell (unevaluatedProperties beside applicators). */
    static SchemaNode reader(SchemaNode s, String name) {
        SchemaNode pp = matchingPattern(s, name);
        if (pp != null) {
            return pp;
        }
        SchemaNode ap = s.child("additionalProperties");
        if (ap != null) {
            return ap;
        }
        SchemaNode up = unevaluated(s);
        if (up != null || s.has("unevaluatedProperties") && s.defines("unevaluatedProperties")) {
            return up;
        }
        return s.synthetic(BooleanNode.TRUE);
    }

    /**
     * What a writer may send under an undeclared name, in the robust model (writers send only what
     * they declare): a matching patternProperties entry or an additionalProperties schema; null when
     * it never sends that name.
     */
    static SchemaNode writer(SchemaNode s, String name) {
        SchemaNode pp = matchingPattern(s, name);
        if (pp != null) {
            return pp;
        }
        SchemaNode ap = s.child("additionalProperties");
        if (ap == null) {
            ap = unevaluated(s);
        }
        return ap != null && ap.json().isObject() && !Schemas.isTrue(ap.json()) ? ap : null;
    }

    /** Whether unevaluatedProperties beside applicators decides undeclared names, so Herald cannot tell what they accept. */
    static boolean unknown(SchemaNode s) {
        return !s.has("additionalProperties") && s.has("unevaluatedProperties") && s.defines("unevaluatedProperties") && unevaluated(s) == null;
    }

    /** unevaluatedProperties when it alone decides undeclared names; null otherwise. */
    private static SchemaNode unevaluated(SchemaNode s) {
        if (!s.has("unevaluatedProperties") || !s.defines("unevaluatedProperties") || s.has("additionalProperties")) {
            return null;
        }
        for (String k : EVALUATING) {
            if (s.has(k)) {
                return null;
            }
        }
        return s.child("unevaluatedProperties");
    }

    static SchemaNode matchingPattern(SchemaNode s, String name) {
        SchemaNode pp = s.child("patternProperties");
        if (pp == null || !pp.json().isObject()) {
            return null;
        }
        for (Iterator<String> it = pp.json().fieldNames(); it.hasNext(); ) {
            String regex = it.next();
            try {
                if (Pattern.compile(regex).matcher(name).find()) {
                    return pp.child(regex);
                }
            } catch (PatternSyntaxException e) {
                // an invalid pattern matches nothing here; the registry loader reports it
            }
        }
        return null;
    }
}
