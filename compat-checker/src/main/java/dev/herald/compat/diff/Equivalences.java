package dev.herald.compat.diff;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Rewrites that keep what a schema accepts, applied before comparing so that an equivalent
 * refactor is no change: a duplicate branch of allOf/anyOf is dropped, and a composition of one
 * branch is that branch (merged with its neighbours when they cannot interact).
 */
final class Equivalences {

    private static final List<String> COMPOSITIONS = List.of("allOf", "anyOf", "oneOf");

    /**
     * Keywords whose meaning depends on keywords beside them (additionalProperties on properties,
     * unevaluated* on every applicator, additionalItems on items...): a branch is merged into its
     * parent only when neither has one.
     */
    private static final Set<String> INTERACTING = Set.of("additionalProperties", "unevaluatedProperties", "unevaluatedItems",
            "additionalItems", "items", "prefixItems", "if", "then", "else", "contains", "minContains", "maxContains",
            "$dynamicRef", "$recursiveRef");

    private Equivalences() {
    }

    /**
     * {@code s} rewritten; branches are merged into their neighbours only when {@code other} has no
     * composition (then keyword meets keyword; otherwise branches meet branches).
     */
    static SchemaNode simplify(SchemaNode s, SchemaNode other) {
        boolean mayMerge = true;
        for (String k : COMPOSITIONS) {
            mayMerge &= !other.json().has(k);
        }
        SchemaNode cur = s;
        for (int i = 0; i < 8; i++) {
            SchemaNode next = once(cur, mayMerge);
            if (next == cur) {
                return cur;
            }
            cur = SchemaDiff.deref(next);
        }
        return cur;
    }

    private static SchemaNode once(SchemaNode s, boolean mayMerge) {
        if (!s.json().isObject()) {
            return s;
        }
        ObjectNode json = (ObjectNode) s.json();
        ObjectNode copy = null;
        for (String kind : List.of("allOf", "anyOf")) {
            JsonNode branches = json.get(kind);
            if (branches != null && branches.isArray() && branches.size() > 1) {
                ArrayNode distinct = Schemas.F.arrayNode();
                Set<JsonNode> seen = new HashSet<>(); // equal JSON only: shape() skips documentation keys, which may be property names
                branches.forEach(b -> {
                    if (seen.add(b)) {
                        distinct.add(b);
                    }
                });
                if (distinct.size() < branches.size()) {
                    copy = copy == null ? json.deepCopy() : copy;
                    copy.set(kind, distinct);
                }
            }
        }
        if (copy != null) {
            return s.synthetic(copy);
        }
        String kind = null;
        for (String k : COMPOSITIONS) {
            if (json.has(k)) {
                if (kind != null) {
                    return s;
                }
                kind = k;
            }
        }
        if (kind == null || !json.get(kind).isArray() || json.get(kind).isEmpty()
                || json.get(kind).size() > 1 && !kind.equals("allOf")) {
            return s;
        }
        List<SchemaNode> branches = new ArrayList<>();
        for (int i = 0; i < json.get(kind).size(); i++) {
            branches.add(SchemaDiff.deref(s.child(kind).child(i)));
        }
        boolean alone = true;
        for (Map.Entry<String, JsonNode> e : json.properties()) {
            if (!e.getKey().equals(kind) && !Schemas.ANNOTATIONS.contains(e.getKey())) {
                alone = false;
                break;
            }
        }
        if (alone && branches.size() == 1) {
            return branches.get(0);
        }
        return mayMerge ? merged(s, kind, branches) : s;
    }

    /** The schema with the branches of {@code kind} written into it, or {@code s} when they could interact. */
    private static SchemaNode merged(SchemaNode s, String kind, List<SchemaNode> branches) {
        ObjectNode merged = ((ObjectNode) s.json()).deepCopy();
        merged.remove(kind);
        for (String k : INTERACTING) {
            if (merged.has(k)) {
                return s;
            }
        }
        if (merged.path("exclusiveMinimum").isBoolean() || merged.path("exclusiveMaximum").isBoolean()) {
            return s; // draft 4: the flag governs whichever minimum/maximum sits beside it
        }
        for (SchemaNode branch : branches) {
            if (!branch.json().isObject() || branch.source() != s.source() && Schemas.containsRef(branch.json())
                    || branch.dialect() != s.dialect()) {
                return s;
            }
            for (Map.Entry<String, JsonNode> e : branch.json().properties()) {
                String k = e.getKey();
                if (Schemas.ANNOTATIONS.contains(k)) {
                    continue;
                }
                if (merged.has(k) || INTERACTING.contains(k) || e.getValue().isBoolean() && k.startsWith("exclusiveM")) {
                    return s;
                }
                merged.set(k, e.getValue());
            }
        }
        return s.synthetic(merged);
    }

    /**
     * Two schemas written as different forms of the same thing: a plain schema against one that
     * is only a composition is the composition of that one schema ({@code X} is {@code anyOf: [X]}),
     * so that the composition's branches are matched against it.
     */
    static SchemaNode alignedWith(SchemaNode plain, SchemaNode other) {
        if (!plain.json().isObject() || !other.json().isObject()) {
            return plain;
        }
        String kind = null;
        for (Map.Entry<String, JsonNode> e : other.json().properties()) {
            String k = e.getKey();
            if (COMPOSITIONS.contains(k) && e.getValue().isArray()) {
                if (kind != null) {
                    return plain;
                }
                kind = k;
            } else if (!Schemas.ignored(k)) {
                return plain;
            }
        }
        for (String k : COMPOSITIONS) {
            if (plain.has(k)) {
                return plain;
            }
        }
        if (kind == null) {
            return plain;
        }
        ObjectNode branch = Schemas.F.objectNode();
        plain.json().properties().forEach(e -> {
            if (!Schemas.ANNOTATIONS.contains(e.getKey()) || e.getKey().equals("$ref")) {
                branch.set(e.getKey(), e.getValue());
            }
        });
        ObjectNode wrapped = Schemas.F.objectNode();
        ArrayNode branches = wrapped.putArray(kind);
        Set<String> types = Schemas.types(branch);
        boolean overlapping = types != null && types.contains("integer") && types.contains("number");
        if (types != null && types.size() > 1 && !kind.equals("allOf") && !(kind.equals("oneOf") && overlapping)) {
            // {"type": [a, b], ...} is anyOf [{"type": a, ...}, {"type": b, ...}]: the other keywords hold for either type
            for (String t : types) {
                branches.add(branch.deepCopy().put("type", t));
            }
        } else {
            branches.add(branch);
        }
        return plain.synthetic(wrapped);
    }
}
