package dev.herald.compat.diff;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.herald.schema.Vocabulary;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/** What a schema object says, read the same way by every unit. */
final class Schemas {

    static final JsonNodeFactory F = JsonNodeFactory.instance;
    static final List<String> ALL_TYPES = List.of("null", "boolean", "object", "array", "number", "string");

    /**
     * Keywords that never count as a change: the vocabulary's annotations, plus identifiers and
     * containers (resolution is done before comparing: {@code $ref} is followed, {@code $defs} reached through it).
     */
    static final Set<String> ANNOTATIONS;

    static {
        Set<String> a = new HashSet<>(Vocabulary.ANNOTATIONS);
        a.addAll(Set.of("$id", "id", "$dynamicAnchor", "$recursiveAnchor", "$vocabulary", "definitions", "$ref"));
        ANNOTATIONS = Set.copyOf(a);
    }

    /** Keywords that leave a schema accepting everything: the annotations, but not a {@code $ref} (its target may refuse). */
    private static final Set<String> TRIVIAL;

    static {
        Set<String> t = new HashSet<>(ANNOTATIONS);
        t.remove("$ref");
        TRIVIAL = Set.copyOf(t);
    }

    private Schemas() {
    }

    /** Whether a key is neither a validating keyword nor a Herald extension. */
    static boolean ignored(String key) {
        return ANNOTATIONS.contains(key) || key.startsWith("x-");
    }

    static boolean isFalse(JsonNode j) {
        if (j.isBoolean()) {
            return !j.booleanValue();
        }
        return j.isObject() && j.size() == 1 && j.has("not") && isTrue(j.get("not"));
    }

    static boolean isTrue(JsonNode j) {
        if (j.isBoolean()) {
            return j.booleanValue();
        }
        if (!j.isObject()) {
            return false;
        }
        for (Iterator<String> it = j.fieldNames(); it.hasNext(); ) {
            if (!TRIVIAL.contains(it.next())) {
                return false;
            }
        }
        return true;
    }

    /** Whether some object at or below {@code j} satisfies {@code test}. */
    static boolean anyObject(JsonNode j, java.util.function.Predicate<JsonNode> test) {
        if (j.isObject() && test.test(j)) {
            return true;
        }
        if (j.isContainerNode()) {
            for (JsonNode c : j) {
                if (anyObject(c, test)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Whether a {@code $ref} inside resolves within its own document ({@code "#..."}): equal JSON in two documents may then mean different schemas. */
    static boolean containsLocalRef(JsonNode j) {
        return anyObject(j, o -> o.has("$ref") && o.get("$ref").asText("").startsWith("#"));
    }

    static boolean containsRef(JsonNode j) {
        return anyObject(j, o -> o.has("$ref"));
    }

    /** The declared types, or null when {@code type} is absent (any type). */
    static Set<String> types(JsonNode s) {
        JsonNode t = s.get("type");
        if (t == null) {
            return null;
        }
        Set<String> set = new LinkedHashSet<>();
        if (t.isTextual()) {
            set.add(t.asText());
        } else if (t.isArray()) {
            t.forEach(x -> set.add(x.asText()));
        }
        return set;
    }

    /** Whether every value of {@code type} is accepted by the type set (null: any type). */
    static boolean covered(String type, Set<String> set) {
        return set == null || set.contains(type) || ("integer".equals(type) && set.contains("number"));
    }

    /** Whether the type set may accept some value of {@code type}. */
    static boolean may(Set<String> set, String type) {
        return set == null || set.contains(type) || ("integer".equals(type) && set.contains("number"))
                || ("number".equals(type) && set.contains("integer"));
    }

    static boolean both(Set<String> a, Set<String> b, String type) {
        return may(a, type) && may(b, type);
    }

    /**
     * The values a schema is restricted to by {@code enum} and {@code const} (both apply: their
     * intersection); null when neither restricts the value.
     */
    static List<JsonNode> values(JsonNode s) {
        JsonNode e = s.get("enum");
        List<JsonNode> list = null;
        if (e != null && e.isArray()) {
            list = new ArrayList<>();
            e.forEach(list::add);
        }
        if (s.has("const")) {
            JsonNode c = s.get("const");
            return list == null || containsValue(list, c) ? List.of(c) : List.of();
        }
        return list;
    }

    /** Membership with JSON's number equality (1 and 1.0 are the same value, at any depth). */
    static boolean containsValue(List<JsonNode> list, JsonNode v) {
        for (JsonNode x : list) {
            if (sameValue(x, v)) {
                return true;
            }
        }
        return false;
    }

    /** JSON equality as validators apply it: numbers by value, objects without regard to key order. */
    static boolean sameValue(JsonNode a, JsonNode b) {
        if (a.isNumber() && b.isNumber()) {
            return a.decimalValue().compareTo(b.decimalValue()) == 0;
        }
        if (a.isArray() && b.isArray()) {
            if (a.size() != b.size()) {
                return false;
            }
            for (int i = 0; i < a.size(); i++) {
                if (!sameValue(a.get(i), b.get(i))) {
                    return false;
                }
            }
            return true;
        }
        if (a.isObject() && b.isObject()) {
            if (a.size() != b.size()) {
                return false;
            }
            for (Iterator<String> it = a.fieldNames(); it.hasNext(); ) {
                String k = it.next();
                if (!b.has(k) || !sameValue(a.get(k), b.get(k))) {
                    return false;
                }
            }
            return true;
        }
        return a.equals(b);
    }

    static Set<String> stringSet(JsonNode s, String k) {
        Set<String> set = new LinkedHashSet<>();
        JsonNode a = s.get(k);
        if (a != null && a.isArray()) {
            a.forEach(x -> set.add(x.asText()));
        }
        return set;
    }

    /** The validating keywords of a schema object, sorted. */
    static Set<String> keywords(JsonNode j) {
        Set<String> set = new TreeSet<>();
        if (j.isObject()) {
            j.fieldNames().forEachRemaining(k -> {
                if (!ANNOTATIONS.contains(k)) {
                    set.add(k);
                }
            });
        }
        return set;
    }

    /** A canonical text of what a schema validates (key order and documentation do not count). */
    static String shape(JsonNode j) {
        if (j.isObject()) {
            StringBuilder sb = new StringBuilder("{");
            List<String> keys = new ArrayList<>();
            j.fieldNames().forEachRemaining(keys::add);
            keys.sort(null);
            for (String k : keys) {
                if (k.equals("title") || k.equals("description") || k.equals("examples") || k.equals("default")
                        || k.equals("deprecated") || k.equals(Vocabulary.X_ALIASES) || k.equals("$comment")) {
                    continue;
                }
                sb.append(k).append(':').append(shape(j.get(k))).append(',');
            }
            return sb.append('}').toString();
        }
        if (j.isArray()) {
            StringBuilder sb = new StringBuilder("[");
            j.forEach(x -> sb.append(shape(x)).append(','));
            return sb.append(']').toString();
        }
        return j.toString();
    }

    static String text(JsonNode s, String k) {
        JsonNode v = s.get(k);
        return v == null ? null : v.isTextual() ? v.asText() : v.toString();
    }
}
