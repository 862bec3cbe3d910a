package dev.herald.compat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The structural diff of two JSON Schemas in reader/writer terms. Both trees are walked in
 * parallel, {@code $ref}s resolved on each side (so moving a definition into another file with the
 * same content is no change), keyword by keyword. Every difference becomes a {@link Change} that
 * says whether it breaks BACKWARD (a reader on the new schema rejects data valid under the old one:
 * the new schema accepts less) or FORWARD (a reader on the old schema rejects data written with the
 * new one: the new schema accepts more), or both.
 *
 * <p>Not thread-safe; one instance per comparison.
 */
public final class SchemaDiff {

    /**
     * Keywords that never count as a change: the vocabulary's annotations, plus identifiers and
     * containers (resolution is done before comparing: {@code $ref} is followed, {@code $defs} reached through it).
     */
    private static final Set<String> ANNOTATIONS = union(dev.herald.schema.Vocabulary.ANNOTATIONS,
            Set.of("$id", "id", "$dynamicAnchor", "$vocabulary", "definitions", "$ref"));

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> u = new java.util.HashSet<>(a);
        u.addAll(b);
        return Set.copyOf(u);
    }

    /** Keywords the engine compares itself. */
    private static final Set<String> HANDLED = Set.of(
            "type", "enum", "const",
            "minLength", "maxLength", "pattern", "format", "contentEncoding", "contentMediaType", "contentSchema",
            "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf",
            "items", "prefixItems", "additionalItems", "minItems", "maxItems", "uniqueItems", "contains",
            "properties", "required", "additionalProperties", "patternProperties", "propertyNames",
            "minProperties", "maxProperties", "dependentRequired", "dependentSchemas", "dependencies",
            "allOf", "anyOf", "oneOf", "not", "if", "then", "else");

    private static final List<String> ALL_TYPES = List.of("null", "boolean", "object", "array", "number", "string");
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    /** A schema node and where it lives. */
    public record Node(SchemaSource source, String pointer, JsonNode json) {

        public static Node root(SchemaSource source) {
            return new Node(source, "", source.root());
        }

        Node child(String key) {
            JsonNode c = json.get(key);
            return c == null ? null : new Node(source, Pointers.child(pointer, key), c);
        }

        Node child(int index) {
            return new Node(source, Pointers.child(pointer, index), json.get(index));
        }

        /** A synthetic node (an implied {@code true}/{@code false}) placed at this node. */
        Node synthetic(JsonNode value) {
            return new Node(source, pointer, value);
        }

        Location location() {
            return source.locate(pointer);
        }
    }

    private final Policy policy;
    private List<Change> out = new ArrayList<>();
    private final Set<String> active = new HashSet<>();
    /**
     * Types that an enclosing schema already imposes on a path inside a then/else/allOf branch
     * (the same in old and new), so that a branch repeating "type" is no narrowing.
     */
    private final Map<String, Set<String>> impliedTypes = new java.util.HashMap<>();

    private SchemaDiff(Policy policy) {
        this.policy = policy;
    }

    /** All changes from {@code oldSchema} to {@code newSchema}. */
    public static List<Change> diff(Node oldSchema, Node newSchema, Policy policy) {
        SchemaDiff d = new SchemaDiff(policy);
        d.compare(oldSchema, newSchema, "", false, Rule.ITEMS_FORBIDDEN, Rule.ITEMS_ALLOWED);
        return d.out;
    }

    public static List<Change> diff(SchemaSource oldSchema, SchemaSource newSchema, Policy policy) {
        return diff(Node.root(oldSchema), Node.root(newSchema), policy);
    }

    // ------------------------------------------------------------------------------------------------

    private Node deref(Node n) {
        Node cur = n;
        int hops = 0;
        while (cur.json.isObject() && cur.json.has("$ref") && cur.json.get("$ref").isTextual()) {
            if (++hops > 32) {
                throw new CompatException(cur.source.file() + " (#" + cur.pointer + "): $ref chain too long or cyclic");
            }
            SchemaSource.Target t = cur.source.resolve(cur.json.get("$ref").asText(), cur.pointer);
            Node target = new Node(t.source(), t.pointer(), t.node());
            ObjectNode siblings = null;
            for (Map.Entry<String, JsonNode> e : cur.json.properties()) {
                if (!ANNOTATIONS.contains(e.getKey())) {
                    if (siblings == null) {
                        siblings = F.objectNode();
                    }
                    siblings.set(e.getKey(), e.getValue());
                }
            }
            if (siblings != null && target.json.isObject()) {
                // $ref with sibling keywords (2019-09+): both apply; merge, the target's keywords first
                ObjectNode merged = ((ObjectNode) target.json).deepCopy();
                for (Map.Entry<String, JsonNode> e : siblings.properties()) {
                    if (!merged.has(e.getKey())) {
                        merged.set(e.getKey(), e.getValue());
                    }
                }
                target = new Node(target.source, target.pointer, merged);
            }
            cur = target;
        }
        return cur;
    }

    private static boolean isFalse(JsonNode j) {
        if (j.isBoolean()) {
            return !j.booleanValue();
        }
        return j.isObject() && j.size() == 1 && j.has("not") && isTrue(j.get("not"));
    }

    private static boolean isTrue(JsonNode j) {
        if (j.isBoolean()) {
            return j.booleanValue();
        }
        if (!j.isObject()) {
            return false;
        }
        for (Iterator<String> it = j.fieldNames(); it.hasNext(); ) {
            if (!ANNOTATIONS.contains(it.next())) {
                return false;
            }
        }
        return true;
    }

    private static boolean containsRef(JsonNode j) {
        if (j.isObject()) {
            if (j.has("$ref")) {
                return true;
            }
            for (JsonNode c : j) {
                if (containsRef(c)) {
                    return true;
                }
            }
        } else if (j.isArray()) {
            for (JsonNode c : j) {
                if (containsRef(c)) {
                    return true;
                }
            }
        }
        return false;
    }

    private void emit(Rule rule, String path, Node o, Node n, String oldValue, String newValue,
                      boolean backward, boolean forward, boolean inverted, String message) {
        emit(rule, path, o, n, oldValue, newValue, backward, forward, inverted, false, message);
    }

    private void emit(Rule rule, String path, Node o, Node n, String oldValue, String newValue,
                      boolean backward, boolean forward, boolean inverted, boolean advisory, String message) {
        boolean b = inverted ? forward : backward;
        boolean f = inverted ? backward : forward;
        if (!b && !f && !advisory && rule.category() == Category.WIRE) {
            return;
        }
        out.add(new Change(rule, path.isEmpty() ? "/" : path, o.location(), n.location(), oldValue, newValue, b, f, advisory, message));
    }

    /** Direction flags of all differences between two subschemas, without reporting them. */
    private boolean[] flags(Node o, Node n, String path, boolean inverted) {
        List<Change> saved = out;
        out = new ArrayList<>();
        try {
            compare(o, n, path, false, Rule.ITEMS_FORBIDDEN, Rule.ITEMS_ALLOWED); // raw orientation; the caller's emit() inverts
            boolean b = false;
            boolean f = false;
            for (Change c : out) {
                if (c.rule().category() == Category.WIRE) {
                    b |= c.breaksBackward();
                    f |= c.breaksForward();
                }
            }
            return new boolean[] {b, f};
        } finally {
            out = saved;
        }
    }

    // ------------------------------------------------------------------------------------------------

    private void compare(Node o0, Node n0, String path, boolean inv, Rule forbid, Rule allow) {
        Node o = deref(o0);
        Node n = deref(n0);
        String key = o.source.file() + "#" + o.pointer + "|" + n.source.file() + "#" + n.pointer;
        if (!active.add(key)) {
            return; // recursion through $ref: this pair is being compared further up
        }
        try {
            if (o.json.isObject() && n.json.isObject()) {
                // before the equality shortcut: the same content under another name is another class
                compareTitle(o, n, path, types(o.json), types(n.json));
            }
            if (o.json.equals(n.json)
                    && ((o.source.scope() != null && o.source.scope().equals(n.source.scope())) || !containsRef(o.json))) {
                return;
            }
            boolean oFalse = isFalse(o.json);
            boolean nFalse = isFalse(n.json);
            if (oFalse || nFalse) {
                if (oFalse && !nFalse) {
                    emit(allow, path, o, n, "false", Json.brief(n.json), false, true, inv, "now accepts values where it accepted none");
                } else if (!oFalse) {
                    emit(forbid, path, o, n, Json.brief(o.json), "false", true, false, inv, "now accepts no value where it accepted some");
                }
                return;
            }
            if (!o.json.isObject() && !o.json.isBoolean() || !n.json.isObject() && !n.json.isBoolean()) {
                if (!o.json.equals(n.json)) {
                    emit(Rule.CONSTRAINT_CHANGED, path, o, n, Json.brief(o.json), Json.brief(n.json), true, true, inv, "the schema is not an object");
                }
                return;
            }
            Node ob = o.json.isBoolean() ? o.synthetic(F.objectNode()) : o;
            Node nb = n.json.isBoolean() ? n.synthetic(F.objectNode()) : n;
            compareObjectSchemas(ob, nb, path, inv);
        } finally {
            active.remove(key);
        }
    }

    private void compareObjectSchemas(Node o, Node n, String path, boolean inv) {
        Set<String> ot = types(o.json);
        Set<String> nt = types(n.json);
        compareTypes(o, n, path, inv, ot, nt);
        compareEnum(o, n, path, inv);
        if (both(ot, nt, "string")) {
            compareStrings(o, n, path, inv);
        }
        if (both(ot, nt, "number") || both(ot, nt, "integer")) {
            compareNumbers(o, n, path, inv);
        }
        if (both(ot, nt, "array")) {
            compareArrays(o, n, path, inv);
        }
        if (both(ot, nt, "object")) {
            compareObjects(o, n, path, inv);
        }
        compareComposition(o, n, path, inv);
        compareNotAndConditionals(o, n, path, inv);
        compareUnknown(o, n, path, inv);
    }

    // ---- type --------------------------------------------------------------------------------------

    private static Set<String> types(JsonNode s) {
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

    private static boolean covered(String type, Set<String> set) {
        return set == null || set.contains(type) || ("integer".equals(type) && set.contains("number"));
    }

    private static boolean may(Set<String> set, String type) {
        return set == null || set.contains(type) || ("integer".equals(type) && set.contains("number"))
                || ("number".equals(type) && set.contains("integer"));
    }

    private static boolean both(Set<String> a, Set<String> b, String type) {
        return may(a, type) && may(b, type);
    }

    private void compareTypes(Node o, Node n, String path, boolean inv, Set<String> ot0, Set<String> nt0) {
        Set<String> implied = impliedTypes.get(path);
        Set<String> ot = ot0 == null ? implied : ot0;
        Set<String> nt = nt0 == null ? implied : nt0;
        if (Objects.equals(ot, nt)) {
            return;
        }
        List<String> removed = new ArrayList<>();
        for (String t : ot == null ? ALL_TYPES : ot) {
            if (!covered(t, nt)) {
                removed.add(t);
            }
        }
        List<String> added = new ArrayList<>();
        for (String t : nt == null ? ALL_TYPES : nt) {
            if (!covered(t, ot)) {
                added.add(t);
            }
        }
        String ov = ot == null ? "(any)" : String.join("|", ot);
        String nv = nt == null ? "(any)" : String.join("|", nt);
        Node oa = o.child("type") != null ? o.child("type") : o;
        Node na = n.child("type") != null ? n.child("type") : n;
        String p = path + "/type";
        if (!removed.isEmpty() && !added.isEmpty()) {
            emit(Rule.TYPE_CHANGED, p, oa, na, ov, nv, true, true, inv, "type changed from " + ov + " to " + nv);
        } else if (!removed.isEmpty()) {
            emit(Rule.TYPE_NARROWED, p, oa, na, ov, nv, true, false, inv, "type narrowed from " + ov + " to " + nv + " (no longer accepts " + String.join(", ", removed) + ")");
        } else if (!added.isEmpty()) {
            emit(Rule.TYPE_WIDENED, p, oa, na, ov, nv, false, true, inv, "type widened from " + ov + " to " + nv + " (now accepts " + String.join(", ", added) + ")");
        }
        boolean oInt = ot != null && ot.contains("integer") && !ot.contains("number");
        boolean nInt = nt != null && nt.contains("integer") && !nt.contains("number");
        boolean oNum = ot != null && ot.contains("number");
        boolean nNum = nt != null && nt.contains("number");
        if (oInt && nNum || oNum && nInt) {
            emit(Rule.JAVA_TYPE_CHANGED, p, oa, na, ov, nv, false, false, inv,
                    "the generated Java type changes from " + (oInt ? "Long to BigDecimal" : "BigDecimal to Long"));
        }
    }

    // ---- enum / const ------------------------------------------------------------------------------

    private static List<JsonNode> values(JsonNode s) {
        JsonNode e = s.get("enum");
        if (e != null && e.isArray()) {
            List<JsonNode> list = new ArrayList<>();
            e.forEach(list::add);
            return list;
        }
        if (s.has("const")) {
            return List.of(s.get("const"));
        }
        return null;
    }

    private static Node valuesNode(Node s) {
        return s.child("enum") != null ? s.child("enum") : s.child("const") != null ? s.child("const") : s;
    }

    private void compareEnum(Node o, Node n, String path, boolean inv) {
        List<JsonNode> ov = values(o.json);
        List<JsonNode> nv = values(n.json);
        if (ov == null && nv == null) {
            return;
        }
        Node oa = valuesNode(o);
        Node na = valuesNode(n);
        String p = path + (n.json.has("const") && !n.json.has("enum") ? "/const" : "/enum");
        if (ov == null) {
            emit(Rule.ENUM_ADDED, p, oa, na, "(any value)", Json.brief(F.arrayNode().addAll(nv)), true, false, inv,
                    "values are now restricted to " + Json.brief(F.arrayNode().addAll(nv)));
            return;
        }
        if (nv == null) {
            emit(Rule.ENUM_REMOVED, p, oa, na, Json.brief(F.arrayNode().addAll(ov)), "(any value)", false, true, inv,
                    "values are no longer restricted");
            return;
        }
        for (JsonNode v : ov) {
            if (!contains(nv, v)) {
                emit(Rule.ENUM_VALUE_REMOVED, p, oa, na, Json.brief(v), "(absent)", true, false, inv, "value " + Json.brief(v) + " was removed");
            }
        }
        boolean generatedEnum = o.json.has("enum") && n.json.has("enum") && allText(ov) && allText(nv);
        boolean tolerated = policy == Policy.ROBUST && generatedEnum;
        for (JsonNode v : nv) {
            if (!contains(ov, v)) {
                emit(Rule.ENUM_VALUE_ADDED, p, oa, na, "(absent)", Json.brief(v), false, !tolerated, inv, tolerated,
                        "value " + Json.brief(v) + " was added" + (tolerated ? "; readers on the old SDK read it as UNKNOWN" : ""));
            }
        }
        if (generatedEnum) {
            List<JsonNode> gone = ov.stream().filter(v -> !contains(nv, v)).toList();
            List<JsonNode> come = nv.stream().filter(v -> !contains(ov, v)).toList();
            if (gone.size() == 1 && come.size() == 1) {
                String a = dev.herald.schema.Names.constantName(gone.get(0).asText());
                String b = dev.herald.schema.Names.constantName(come.get(0).asText());
                emit(Rule.ENUM_CONSTANT_RENAMED, p, oa, na, a, b, false, false, inv,
                        "value " + Json.brief(gone.get(0)) + " became " + Json.brief(come.get(0)) + ": the Java constant " + a + " becomes " + b);
            }
            Map<String, String> on = varnames(o.json);
            Map<String, String> nn = varnames(n.json);
            for (Map.Entry<String, String> e : on.entrySet()) {
                String now = nn.get(e.getKey());
                if (now != null && !now.equals(e.getValue())) {
                    emit(Rule.ENUM_CONSTANT_RENAMED, p, oa, na, e.getValue(), now, false, false, inv,
                            "the Java constant for value \"" + e.getKey() + "\" changes from " + e.getValue() + " to " + now);
                }
            }
        }
    }

    private static Map<String, String> varnames(JsonNode s) {
        Map<String, String> map = new LinkedHashMap<>();
        JsonNode names = s.get(dev.herald.schema.Vocabulary.X_ENUM_VARNAMES);
        JsonNode e = s.get("enum");
        if (names != null && names.isArray() && e != null) {
            for (int i = 0; i < Math.min(names.size(), e.size()); i++) {
                map.put(e.get(i).asText(), names.get(i).asText());
            }
        }
        return map;
    }

    private static boolean allText(List<JsonNode> list) {
        return list.stream().allMatch(JsonNode::isTextual);
    }

    private static boolean contains(List<JsonNode> list, JsonNode v) {
        for (JsonNode x : list) {
            if (x.equals(v) || x.isNumber() && v.isNumber() && x.decimalValue().compareTo(v.decimalValue()) == 0) {
                return true;
            }
        }
        return false;
    }

    // ---- strings -----------------------------------------------------------------------------------

    private void compareStrings(Node o, Node n, String path, boolean inv) {
        compareLowerInt(o, n, path, inv, "minLength", Rule.MIN_LENGTH_INCREASED, Rule.MIN_LENGTH_DECREASED);
        compareUpperInt(o, n, path, inv, "maxLength", Rule.MAX_LENGTH_DECREASED, Rule.MAX_LENGTH_INCREASED);
        comparePatterns(o, n, path, inv);
        String of = text(o.json, "format");
        String nf = text(n.json, "format");
        compareExact(o, n, path, inv, "format", Rule.FORMAT_ADDED, Rule.FORMAT_REMOVED, Rule.FORMAT_CHANGED);
        if (!Objects.equals(javaStringType(of), javaStringType(nf))) {
            emit(Rule.JAVA_TYPE_CHANGED, path + "/format", at(o, "format"), at(n, "format"), String.valueOf(of), String.valueOf(nf), false, false, inv,
                    "the generated Java type changes from " + javaStringType(of) + " to " + javaStringType(nf));
        }
        for (String k : List.of("contentEncoding", "contentMediaType", "contentSchema")) {
            compareExact(o, n, path, inv, k, Rule.CONTENT_CHANGED, Rule.CONTENT_CHANGED, Rule.CONTENT_CHANGED);
        }
    }

    /**
     * A changed pattern is judged by the languages of the two patterns: widened (every old value
     * still matches) breaks nobody reading old data, narrowed breaks them, and each direction that
     * breaks is shown with a value. Patterns outside the regular subset count as changed both ways.
     */
    private void comparePatterns(Node o, Node n, String path, boolean inv) {
        JsonNode ov = o.json.get("pattern");
        JsonNode nv = n.json.get("pattern");
        if (ov == null || nv == null || Objects.equals(ov, nv) || !ov.isTextual() || !nv.isTextual()) {
            compareExact(o, n, path, inv, "pattern", Rule.PATTERN_ADDED, Rule.PATTERN_REMOVED, Rule.PATTERN_CHANGED);
            return;
        }
        PatternLanguage.Comparison c = PatternLanguage.compare(ov.textValue(), nv.textValue());
        String p = path + "/pattern";
        if (c.undecided() != null) {
            emit(Rule.PATTERN_CHANGED, p, at(o, "pattern"), at(n, "pattern"), Json.brief(ov), Json.brief(nv), true, true, inv,
                    "pattern changed from " + Json.brief(ov) + " to " + Json.brief(nv) + "; Herald cannot compare them: " + c.undecided());
            return;
        }
        if (c.onlyInOld() == null && c.onlyInNew() == null) {
            return; // the same language, written differently
        }
        StringBuilder why = new StringBuilder("pattern changed from " + Json.brief(ov) + " to " + Json.brief(nv));
        if (c.onlyInOld() != null) {
            why.append("; the old pattern accepts ").append(Json.brief(F.textNode(c.onlyInOld()))).append(", the new one refuses it");
        }
        if (c.onlyInNew() != null) {
            why.append("; the new pattern accepts ").append(Json.brief(F.textNode(c.onlyInNew()))).append(", the old one refuses it");
        }
        emit(Rule.PATTERN_CHANGED, p, at(o, "pattern"), at(n, "pattern"), Json.brief(ov), Json.brief(nv),
                c.onlyInOld() != null, c.onlyInNew() != null, inv, why.toString());
    }

    /** The generated type, as the generator decides it: from the vocabulary. */
    private static String javaStringType(String format) {
        return dev.herald.schema.Vocabulary.scalarType("string", format).orElseThrow().simpleName();
    }

    private static String text(JsonNode s, String k) {
        JsonNode v = s.get(k);
        return v == null ? null : v.isTextual() ? v.asText() : v.toString();
    }

    private static Node at(Node s, String key) {
        Node c = s.child(key);
        return c != null ? c : s;
    }

    /** A keyword that must stay equal: added narrows, removed widens, changed does both. */
    private void compareExact(Node o, Node n, String path, boolean inv, String k, Rule added, Rule removed, Rule changed) {
        JsonNode ov = o.json.get(k);
        JsonNode nv = n.json.get(k);
        if (Objects.equals(ov, nv)) {
            return;
        }
        String p = path + "/" + k;
        if (ov == null) {
            emit(added, p, o, at(n, k), "(none)", Json.brief(nv), true, false, inv, k + " " + Json.brief(nv) + " was added");
        } else if (nv == null) {
            emit(removed, p, at(o, k), n, Json.brief(ov), "(none)", false, true, inv, k + " " + Json.brief(ov) + " was removed");
        } else {
            emit(changed, p, at(o, k), at(n, k), Json.brief(ov), Json.brief(nv), true, true, inv, k + " changed from " + Json.brief(ov) + " to " + Json.brief(nv));
        }
    }

    /** A lower bound on a count (minLength, minItems, minProperties); absent is 0. */
    private void compareLowerInt(Node o, Node n, String path, boolean inv, String k, Rule raised, Rule lowered) {
        JsonNode ov = o.json.get(k);
        JsonNode nv = n.json.get(k);
        BigDecimal a = ov != null && ov.isNumber() ? ov.decimalValue() : BigDecimal.ZERO;
        BigDecimal b = nv != null && nv.isNumber() ? nv.decimalValue() : BigDecimal.ZERO;
        int c = b.compareTo(a);
        String os = ov == null ? "(none)" : ov.asText();
        String ns = nv == null ? "(none)" : nv.asText();
        if (c > 0) {
            emit(raised, path + "/" + k, at(o, k), at(n, k), os, ns, true, false, inv, k + " raised from " + os + " to " + ns);
        } else if (c < 0) {
            emit(lowered, path + "/" + k, at(o, k), at(n, k), os, ns, false, true, inv, k + " lowered from " + os + " to " + ns);
        }
    }

    /** An upper bound on a count (maxLength, maxItems, maxProperties); absent is unbounded. */
    private void compareUpperInt(Node o, Node n, String path, boolean inv, String k, Rule lowered, Rule raised) {
        JsonNode ov = o.json.get(k);
        JsonNode nv = n.json.get(k);
        BigDecimal a = ov != null && ov.isNumber() ? ov.decimalValue() : null;
        BigDecimal b = nv != null && nv.isNumber() ? nv.decimalValue() : null;
        int c = a == null && b == null ? 0 : a == null ? -1 : b == null ? 1 : b.compareTo(a);
        String os = ov == null ? "(none)" : ov.asText();
        String ns = nv == null ? "(none)" : nv.asText();
        if (c < 0) {
            emit(lowered, path + "/" + k, at(o, k), at(n, k), os, ns, true, false, inv, k + " lowered from " + os + " to " + ns);
        } else if (c > 0) {
            emit(raised, path + "/" + k, at(o, k), at(n, k), os, ns, false, true, inv, k + " raised from " + os + " to " + ns);
        }
    }

    // ---- numbers -----------------------------------------------------------------------------------

    private record Bound(BigDecimal value, boolean exclusive, String keyword) {
        @Override
        public String toString() {
            return (exclusive ? "exclusive " : "") + value.stripTrailingZeros().toPlainString();
        }
    }

    private static Bound bound(JsonNode s, boolean lower) {
        String inclusiveKey = lower ? "minimum" : "maximum";
        String exclusiveKey = lower ? "exclusiveMinimum" : "exclusiveMaximum";
        JsonNode inc = s.get(inclusiveKey);
        JsonNode exc = s.get(exclusiveKey);
        Bound a = null;
        if (inc != null && inc.isNumber()) {
            boolean draft4Exclusive = exc != null && exc.isBoolean() && exc.booleanValue();
            a = new Bound(inc.decimalValue(), draft4Exclusive, draft4Exclusive ? exclusiveKey : inclusiveKey);
        }
        if (exc != null && exc.isNumber()) {
            Bound b = new Bound(exc.decimalValue(), true, exclusiveKey);
            a = a == null || stricter(b, a, lower) ? b : a;
        }
        return a;
    }

    /** Whether bound a is stricter than bound b. */
    private static boolean stricter(Bound a, Bound b, boolean lower) {
        if (a == null) {
            return false;
        }
        if (b == null) {
            return true;
        }
        int c = a.value.compareTo(b.value);
        if (c != 0) {
            return lower ? c > 0 : c < 0;
        }
        return a.exclusive && !b.exclusive;
    }

    private void compareNumbers(Node o, Node n, String path, boolean inv) {
        for (boolean lower : new boolean[] {true, false}) {
            Bound ob = bound(o.json, lower);
            Bound nb = bound(n.json, lower);
            String k = nb != null ? nb.keyword : ob != null ? ob.keyword : lower ? "minimum" : "maximum";
            String os = ob == null ? "(none)" : ob.toString();
            String ns = nb == null ? "(none)" : nb.toString();
            Node oa = ob != null ? at(o, ob.keyword) : o;
            Node na = nb != null ? at(n, nb.keyword) : n;
            if (stricter(nb, ob, lower)) {
                emit(lower ? Rule.MINIMUM_INCREASED : Rule.MAXIMUM_DECREASED, path + "/" + k, oa, na, os, ns, true, false, inv,
                        (lower ? "lower" : "upper") + " bound tightened from " + os + " to " + ns);
            } else if (stricter(ob, nb, lower)) {
                emit(lower ? Rule.MINIMUM_DECREASED : Rule.MAXIMUM_INCREASED, path + "/" + k, oa, na, os, ns, false, true, inv,
                        (lower ? "lower" : "upper") + " bound relaxed from " + os + " to " + ns);
            }
        }
        JsonNode om = o.json.get("multipleOf");
        JsonNode nm = n.json.get("multipleOf");
        if (om == null && nm == null || om != null && nm != null && om.decimalValue().compareTo(nm.decimalValue()) == 0) {
            return;
        }
        boolean b;
        boolean f;
        if (om == null) {
            b = true;
            f = false;
        } else if (nm == null) {
            b = false;
            f = true;
        } else {
            BigDecimal x = om.decimalValue();
            BigDecimal y = nm.decimalValue();
            boolean widens = y.signum() != 0 && x.remainder(y).signum() == 0;   // new divides old
            boolean narrows = x.signum() != 0 && y.remainder(x).signum() == 0;  // old divides new
            b = !widens;
            f = !narrows;
        }
        String os = om == null ? "(none)" : om.asText();
        String ns = nm == null ? "(none)" : nm.asText();
        emit(Rule.MULTIPLE_OF_CHANGED, path + "/multipleOf", at(o, "multipleOf"), at(n, "multipleOf"), os, ns, b, f, inv,
                "multipleOf changed from " + os + " to " + ns);
    }

    // ---- arrays ------------------------------------------------------------------------------------

    private static List<Node> prefix(Node s) {
        Node p = s.child("prefixItems");
        if (p == null && s.json.has("items") && s.json.get("items").isArray()) {
            p = s.child("items");
        }
        List<Node> list = new ArrayList<>();
        if (p != null && p.json.isArray()) {
            for (int i = 0; i < p.json.size(); i++) {
                list.add(p.child(i));
            }
        }
        return list;
    }

    private static String prefixKey(Node s) {
        return s.json.has("prefixItems") ? "prefixItems" : "items";
    }

    private static String restKey(Node s) {
        if (!s.json.has("prefixItems") && s.json.has("items") && s.json.get("items").isArray()) {
            return "additionalItems";
        }
        return "items";
    }

    private static Node rest(Node s) {
        Node r = s.child(restKey(s));
        return r != null ? r : s.synthetic(BooleanNode.TRUE);
    }

    private void compareArrays(Node o, Node n, String path, boolean inv) {
        List<Node> op = prefix(o);
        List<Node> np = prefix(n);
        Node or = rest(o);
        Node nr = rest(n);
        int len = Math.max(op.size(), np.size());
        for (int i = 0; i < len; i++) {
            Node oi = i < op.size() ? op.get(i) : or;
            Node ni = i < np.size() ? np.get(i) : nr;
            String key = i < np.size() ? prefixKey(n) : prefixKey(o);
            compare(oi, ni, path + "/" + key + "/" + i, inv, Rule.ITEMS_FORBIDDEN, Rule.ITEMS_ALLOWED);
        }
        compare(or, nr, path + "/" + restKey(n), inv, Rule.ITEMS_FORBIDDEN, Rule.ITEMS_ALLOWED);
        compareLowerInt(o, n, path, inv, "minItems", Rule.MIN_ITEMS_INCREASED, Rule.MIN_ITEMS_DECREASED);
        compareUpperInt(o, n, path, inv, "maxItems", Rule.MAX_ITEMS_DECREASED, Rule.MAX_ITEMS_INCREASED);
        boolean ou = o.json.path("uniqueItems").asBoolean(false);
        boolean nu = n.json.path("uniqueItems").asBoolean(false);
        if (!ou && nu) {
            emit(Rule.UNIQUE_ITEMS_ADDED, path + "/uniqueItems", o, at(n, "uniqueItems"), "false", "true", true, false, inv, "uniqueItems turned on");
        } else if (ou && !nu) {
            emit(Rule.UNIQUE_ITEMS_REMOVED, path + "/uniqueItems", at(o, "uniqueItems"), n, "true", "false", false, true, inv, "uniqueItems turned off");
        }
        compareOptionalSubschema(o, n, path, inv, "contains");
    }

    /** A keyword whose value is a subschema that constrains when present (contains, propertyNames, not-like). */
    private void compareOptionalSubschema(Node o, Node n, String path, boolean inv, String k) {
        Node oc = o.child(k);
        Node nc = n.child(k);
        if (oc != null && nc != null) {
            compare(oc, nc, path + "/" + k, inv, Rule.CONSTRAINT_ADDED, Rule.CONSTRAINT_REMOVED);
        } else if (oc == null && nc != null) {
            emit(Rule.CONSTRAINT_ADDED, path + "/" + k, o, nc, "(none)", Json.brief(nc.json), true, false, inv, k + " was added");
        } else if (oc != null) {
            emit(Rule.CONSTRAINT_REMOVED, path + "/" + k, oc, n, Json.brief(oc.json), "(none)", false, true, inv, k + " was removed");
        }
    }

    // ---- objects -----------------------------------------------------------------------------------

    private static Map<String, Node> properties(Node s) {
        Map<String, Node> map = new LinkedHashMap<>();
        Node p = s.child("properties");
        if (p != null && p.json.isObject()) {
            for (Iterator<String> it = p.json.fieldNames(); it.hasNext(); ) {
                String name = it.next();
                map.put(name, p.child(name));
            }
        }
        return map;
    }

    private static Set<String> stringSet(JsonNode s, String k) {
        Set<String> set = new LinkedHashSet<>();
        JsonNode a = s.get(k);
        if (a != null && a.isArray()) {
            a.forEach(x -> set.add(x.asText()));
        }
        return set;
    }

    /** The schema a reader applies to an undeclared name: a matching patternProperties entry, else additionalProperties (absent: anything). */
    private static Node readerSchemaFor(Node s, String name) {
        Node pp = matchingPattern(s, name);
        if (pp != null) {
            return pp;
        }
        Node ap = s.child("additionalProperties");
        return ap != null ? ap : s.synthetic(BooleanNode.TRUE);
    }

    /**
     * What a writer may send under an undeclared name, in the robust model (writers send only what
     * they declare): a matching patternProperties entry or an additionalProperties schema; null when
     * it never sends that name.
     */
    private static Node writerSchemaFor(Node s, String name) {
        Node pp = matchingPattern(s, name);
        if (pp != null) {
            return pp;
        }
        Node ap = s.child("additionalProperties");
        return ap != null && ap.json.isObject() && !isTrue(ap.json) ? ap : null;
    }

    private static Node matchingPattern(Node s, String name) {
        Node pp = s.child("patternProperties");
        if (pp == null || !pp.json.isObject()) {
            return null;
        }
        for (Iterator<String> it = pp.json.fieldNames(); it.hasNext(); ) {
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

    private static String shape(JsonNode j) {
        if (j.isObject()) {
            StringBuilder sb = new StringBuilder("{");
            List<String> keys = new ArrayList<>();
            j.fieldNames().forEachRemaining(keys::add);
            keys.sort(null);
            for (String k : keys) {
                if (k.equals("title") || k.equals("description") || k.equals("examples") || k.equals("default")
                        || k.equals("deprecated") || k.equals("x-aliases") || k.equals("$comment")) {
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

    private void compareObjects(Node o, Node n, String path, boolean inv) {
        Map<String, Node> op = properties(o);
        Map<String, Node> np = properties(n);
        Set<String> oreq = stringSet(o.json, "required");
        Set<String> nreq = stringSet(n.json, "required");
        Set<String> oReserved = stringSet(o.json, "x-reserved");
        Set<String> nReserved = stringSet(n.json, "x-reserved");

        List<String> removed = new ArrayList<>();
        for (String name : op.keySet()) {
            if (!np.containsKey(name)) {
                removed.add(name);
            }
        }
        List<String> added = new ArrayList<>();
        for (String name : np.keySet()) {
            if (!op.containsKey(name)) {
                added.add(name);
            }
        }
        // renames: x-aliases first, then a removal and an addition of the same shape
        Map<String, String> renamed = new LinkedHashMap<>();
        for (String a : added) {
            Set<String> aliases = stringSet(np.get(a).json, "x-aliases");
            for (String r : removed) {
                if (aliases.contains(r) && !renamed.containsKey(r)) {
                    renamed.put(r, a);
                    break;
                }
            }
        }
        for (String r : removed) {
            if (renamed.containsKey(r)) {
                continue;
            }
            String rs = shape(op.get(r).json);
            boolean distinctive = keywords(op.get(r).json).size() >= 2;
            for (String a : added) {
                if (!renamed.containsValue(a) && shape(np.get(a).json).equals(rs) && (distinctive || shareWord(r, a))) {
                    renamed.put(r, a);
                    break;
                }
            }
        }

        String pp = path + "/properties";
        for (Map.Entry<String, Node> e : op.entrySet()) {
            Node nn = np.get(e.getKey());
            if (nn != null) {
                compare(e.getValue(), nn, Pointers.child(pp, e.getKey()), inv, Rule.ITEMS_FORBIDDEN, Rule.ITEMS_ALLOWED);
            }
        }
        Set<String> removedForward = new HashSet<>();
        for (String r : removed) {
            if (renamed.containsKey(r)) {
                continue;
            }
            Node or = op.get(r);
            boolean b;
            boolean f;
            if (policy == Policy.STRICT) {
                boolean[] fl = flags(or, readerSchemaFor(n, r), Pointers.child(pp, r), inv);
                b = fl[0];
                f = fl[1];
            } else {
                b = flags(or, readerSchemaFor(n, r), Pointers.child(pp, r), inv)[0];
                Node writer = writerSchemaFor(n, r);
                boolean exempt = or.json.path("deprecated").asBoolean(false) && nReserved.contains(r) && !oreq.contains(r);
                f = writer == null ? !exempt : flags(or, writer, Pointers.child(pp, r), inv)[1];
            }
            if (f) {
                removedForward.add(r);
            }
            emit(Rule.PROPERTY_REMOVED, Pointers.child(pp, r), or, n.child("properties") != null ? n.child("properties") : n,
                    Json.brief(or.json), "(absent)", b, f, inv,
                    "property '" + r + "' was removed" + (oreq.contains(r) ? " (it was required)" : ""));
        }
        for (String a : added) {
            if (renamed.containsValue(a)) {
                continue;
            }
            Node na = np.get(a);
            boolean b;
            boolean f;
            if (policy == Policy.STRICT) {
                boolean[] fl = flags(readerSchemaFor(o, a), na, Pointers.child(pp, a), inv);
                b = fl[0];
                f = fl[1];
            } else {
                Node writer = writerSchemaFor(o, a);
                b = writer != null && flags(writer, na, Pointers.child(pp, a), inv)[0];
                f = flags(readerSchemaFor(o, a), na, Pointers.child(pp, a), inv)[1];
            }
            emit(Rule.PROPERTY_ADDED, Pointers.child(pp, a), o.child("properties") != null ? o.child("properties") : o, na,
                    Json.brief(readerSchemaFor(o, a).json), Json.brief(na.json), b, f, inv,
                    "property '" + a + "' was added where the old schema " + (isFalse(readerSchemaFor(o, a).json)
                            ? "accepted no such property (closed object)" : isTrue(readerSchemaFor(o, a).json)
                            ? "accepted any value under that name (open object)" : "accepted " + Json.brief(readerSchemaFor(o, a).json) + " for it"));
        }
        for (Map.Entry<String, String> e : renamed.entrySet()) {
            String r = e.getKey();
            String a = e.getValue();
            boolean alias = stringSet(np.get(a).json, "x-aliases").contains(r);
            boolean b;
            boolean f;
            if (policy == Policy.STRICT) {
                boolean[] fr = flags(op.get(r), readerSchemaFor(n, r), Pointers.child(pp, r), inv);
                boolean[] fa = flags(readerSchemaFor(o, a), np.get(a), Pointers.child(pp, a), inv);
                b = fr[0] || fa[0] || nreq.contains(a);
                f = fr[1] || fa[1] || oreq.contains(r);
            } else {
                b = !alias;
                f = true;
            }
            emit(Rule.PROPERTY_RENAMED, Pointers.child(pp, a), op.get(r), np.get(a), r, a, b, f, inv,
                    "property '" + r + "' was renamed to '" + a + "'" + (alias ? " (x-aliases keeps old data readable, but old readers miss '" + r + "')" : ""));
            // the shape may have changed as well (a rename declared with x-aliases)
            compare(op.get(r), np.get(a), Pointers.child(pp, a), inv, Rule.ITEMS_FORBIDDEN, Rule.ITEMS_ALLOWED);
        }
        // reserved names
        for (String a : np.keySet()) {
            if (oReserved.contains(a) || nReserved.contains(a)) {
                emit(Rule.RESERVED_NAME_REUSED, Pointers.child(pp, a), o, np.get(a), "reserved", a, true, true, inv,
                        "property '" + a + "' uses a reserved name");
            }
        }
        for (String r : oReserved) {
            if (!nReserved.contains(r)) {
                emit(Rule.RESERVED_NAME_DROPPED, path + "/x-reserved", at(o, "x-reserved"), at(n, "x-reserved"), r, "(absent)", true, true, inv,
                        "'" + r + "' is no longer reserved");
            }
        }
        // required
        for (String a : nreq) {
            if (!oreq.contains(a) && !(renamed.containsValue(a) && oreq.contains(keyOf(renamed, a)))) {
                emit(Rule.REQUIRED_ADDED, Pointers.child(pp, a), at(o, "required"), at(n, "required"), "optional", "required", true, false, inv,
                        "property '" + a + "' is now required" + (op.containsKey(a) ? "" : " (new property)"));
            }
        }
        for (String r : oreq) {
            if (!nreq.contains(r) && !renamed.containsKey(r) && !removedForward.contains(r)) {
                emit(Rule.REQUIRED_REMOVED, Pointers.child(pp, r), at(o, "required"), at(n, "required"), "required", "optional", false, true, inv,
                        "property '" + r + "' is no longer required");
            }
        }
        // additionalProperties, patternProperties, propertyNames
        Node oap = o.child("additionalProperties") != null ? o.child("additionalProperties") : o.synthetic(BooleanNode.TRUE);
        Node nap = n.child("additionalProperties") != null ? n.child("additionalProperties") : n.synthetic(BooleanNode.TRUE);
        compare(oap, nap, path + "/additionalProperties", inv, Rule.ADDITIONAL_PROPERTIES_CLOSED, Rule.ADDITIONAL_PROPERTIES_OPENED);
        Node opp = o.child("patternProperties");
        Node npp = n.child("patternProperties");
        Set<String> patterns = new LinkedHashSet<>();
        if (opp != null) {
            opp.json.fieldNames().forEachRemaining(patterns::add);
        }
        if (npp != null) {
            npp.json.fieldNames().forEachRemaining(patterns::add);
        }
        for (String pat : patterns) {
            Node a = opp == null ? null : opp.child(pat);
            Node b = npp == null ? null : npp.child(pat);
            String p = Pointers.child(path + "/patternProperties", pat);
            if (a != null && b != null) {
                compare(a, b, p, inv, Rule.PATTERN_PROPERTY_ADDED, Rule.PATTERN_PROPERTY_REMOVED);
            } else if (a == null) {
                emit(Rule.PATTERN_PROPERTY_ADDED, p, o, b, "(none)", Json.brief(b.json), true, false, inv, "patternProperties '" + pat + "' was added");
            } else {
                emit(Rule.PATTERN_PROPERTY_REMOVED, p, a, n, Json.brief(a.json), "(none)", false, true, inv, "patternProperties '" + pat + "' was removed");
            }
        }
        compareOptionalSubschema(o, n, path, inv, "propertyNames");
        compareLowerInt(o, n, path, inv, "minProperties", Rule.MIN_PROPERTIES_INCREASED, Rule.MIN_PROPERTIES_DECREASED);
        compareUpperInt(o, n, path, inv, "maxProperties", Rule.MAX_PROPERTIES_DECREASED, Rule.MAX_PROPERTIES_INCREASED);
        compareDependencies(o, n, path, inv);
    }

    /** Whether two property names share a word (customerName, buyerName: "name"). */
    static boolean shareWord(String a, String b) {
        Set<String> wa = words(a);
        for (String w : words(b)) {
            if (w.length() > 2 && wa.contains(w)) {
                return true;
            }
        }
        return false;
    }

    private static Set<String> words(String name) {
        Set<String> set = new HashSet<>();
        for (String w : name.split("(?<=[a-z0-9])(?=[A-Z])|[^A-Za-z0-9]+")) {
            if (!w.isEmpty()) {
                set.add(w.toLowerCase(java.util.Locale.ROOT));
            }
        }
        return set;
    }

    private static String keyOf(Map<String, String> map, String value) {
        for (Map.Entry<String, String> e : map.entrySet()) {
            if (e.getValue().equals(value)) {
                return e.getKey();
            }
        }
        return null;
    }

    private void compareDependencies(Node o, Node n, String path, boolean inv) {
        Map<String, Node> oreq = new LinkedHashMap<>();
        Map<String, Node> nreq = new LinkedHashMap<>();
        Map<String, Node> osch = new LinkedHashMap<>();
        Map<String, Node> nsch = new LinkedHashMap<>();
        collectDependencies(o, oreq, osch);
        collectDependencies(n, nreq, nsch);
        Set<String> keys = new LinkedHashSet<>(oreq.keySet());
        keys.addAll(nreq.keySet());
        for (String k : keys) {
            Set<String> a = oreq.containsKey(k) ? stringSet(F.objectNode().set("x", oreq.get(k).json), "x") : Set.of();
            Set<String> b = nreq.containsKey(k) ? stringSet(F.objectNode().set("x", nreq.get(k).json), "x") : Set.of();
            Node oa = oreq.getOrDefault(k, o);
            Node na = nreq.getOrDefault(k, n);
            String p = Pointers.child(path + "/dependentRequired", k);
            for (String x : b) {
                if (!a.contains(x)) {
                    emit(Rule.DEPENDENT_REQUIRED_ADDED, p, oa, na, Json.brief(oa.json), Json.brief(na.json), true, false, inv,
                            "'" + x + "' is now required whenever '" + k + "' is present");
                }
            }
            for (String x : a) {
                if (!b.contains(x)) {
                    emit(Rule.DEPENDENT_REQUIRED_REMOVED, p, oa, na, Json.brief(oa.json), Json.brief(na.json), false, true, inv,
                            "'" + x + "' is no longer required when '" + k + "' is present");
                }
            }
        }
        keys = new LinkedHashSet<>(osch.keySet());
        keys.addAll(nsch.keySet());
        for (String k : keys) {
            Node a = osch.get(k);
            Node b = nsch.get(k);
            String p = Pointers.child(path + "/dependentSchemas", k);
            if (a != null && b != null) {
                compare(a, b, p, inv, Rule.CONSTRAINT_ADDED, Rule.CONSTRAINT_REMOVED);
            } else if (a == null) {
                emit(Rule.CONSTRAINT_ADDED, p, o, b, "(none)", Json.brief(b.json), true, false, inv, "dependent schema for '" + k + "' was added");
            } else {
                emit(Rule.CONSTRAINT_REMOVED, p, a, n, Json.brief(a.json), "(none)", false, true, inv, "dependent schema for '" + k + "' was removed");
            }
        }
    }

    private static void collectDependencies(Node s, Map<String, Node> req, Map<String, Node> sch) {
        for (String k : List.of("dependencies", "dependentRequired", "dependentSchemas")) {
            Node d = s.child(k);
            if (d == null || !d.json.isObject()) {
                continue;
            }
            for (Iterator<String> it = d.json.fieldNames(); it.hasNext(); ) {
                String name = it.next();
                Node v = d.child(name);
                if (v.json.isArray()) {
                    req.put(name, v);
                } else {
                    sch.put(name, v);
                }
            }
        }
    }

    // ---- allOf / anyOf / oneOf / not / if-then-else ------------------------------------------------

    private static final List<String> KINDS = List.of("allOf", "anyOf", "oneOf");

    private static List<String> kinds(JsonNode s) {
        List<String> list = new ArrayList<>();
        for (String k : KINDS) {
            if (s.has(k) && s.get(k).isArray()) {
                list.add(k);
            }
        }
        return list;
    }

    private static boolean onlyComposition(JsonNode s) {
        for (Iterator<String> it = s.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (!KINDS.contains(k) && !ANNOTATIONS.contains(k) && !k.startsWith("x-")) {
                return false;
            }
        }
        return true;
    }

    /** Narrowing (+1), widening (-1) or both (0) when composition kind a becomes b. */
    private static int kindChange(String a, String b) {
        if (a.equals("allOf")) {
            return b.equals("anyOf") ? -1 : 0;
        }
        if (a.equals("anyOf")) {
            return 1;
        }
        return b.equals("anyOf") ? -1 : 0; // oneOf
    }

    private void compareComposition(Node o, Node n, String path, boolean inv) {
        List<String> ok = kinds(o.json);
        List<String> nk = kinds(n.json);
        if (ok.isEmpty() && nk.isEmpty()) {
            return;
        }
        // a plain schema that became a union of itself and others (or the reverse): compare as unions
        if (ok.isEmpty() && onlyComposition(n.json) && nk.size() == 1 && !nk.get(0).equals("allOf")) {
            compareBranches(List.of(stripped(o)), branches(n, nk.get(0)), nk.get(0), path + "/" + nk.get(0), inv, o, n);
            return;
        }
        if (nk.isEmpty() && onlyComposition(o.json) && ok.size() == 1 && !ok.get(0).equals("allOf")) {
            compareBranches(branches(o, ok.get(0)), List.of(stripped(n)), ok.get(0), path + "/" + ok.get(0), inv, o, n);
            return;
        }
        if (ok.size() == 1 && nk.size() == 1 && !ok.get(0).equals(nk.get(0))) {
            String a = ok.get(0);
            String b = nk.get(0);
            int dir = kindChange(a, b);
            emit(Rule.COMPOSITION_CHANGED, path + "/" + b, at(o, a), at(n, b), a, b, dir >= 0, dir <= 0, inv, a + " became " + b);
            compareBranches(branches(o, a), branches(n, b), a, b, path + "/" + b, inv, o, n);
            return;
        }
        for (String k : KINDS) {
            boolean inO = ok.contains(k);
            boolean inN = nk.contains(k);
            if (inO && inN) {
                compareBranches(branches(o, k), branches(n, k), k, path + "/" + k, inv, o, n);
            } else if (inN) {
                emit(Rule.COMPOSITION_CHANGED, path + "/" + k, o, at(n, k), "(none)", Json.brief(n.json.get(k)), true, false, inv, k + " was added");
            } else if (inO) {
                emit(Rule.COMPOSITION_CHANGED, path + "/" + k, at(o, k), n, Json.brief(o.json.get(k)), "(none)", false, true, inv, k + " was removed");
            }
        }
    }

    private static Node stripped(Node s) {
        ObjectNode copy = F.objectNode();
        for (Map.Entry<String, JsonNode> e : s.json.properties()) {
            if (!ANNOTATIONS.contains(e.getKey()) || e.getKey().equals("$ref")) {
                copy.set(e.getKey(), e.getValue());
            }
        }
        return new Node(s.source, s.pointer, copy);
    }

    private static List<Node> branches(Node s, String kind) {
        Node k = s.child(kind);
        List<Node> list = new ArrayList<>();
        for (int i = 0; i < k.json.size(); i++) {
            list.add(k.child(i));
        }
        return list;
    }

    private void compareBranches(List<Node> ob, List<Node> nb, String kind, String path, boolean inv, Node o, Node n) {
        compareBranches(ob, nb, kind, kind, path, inv, o, n);
    }

    /** Removed branches count with the old keyword's meaning, added ones with the new keyword's. */
    private void compareBranches(List<Node> ob, List<Node> nb, String oldKind, String kind, String path, boolean inv, Node o, Node n) {
        int[] match = new int[ob.size()];
        java.util.Arrays.fill(match, -1);
        boolean[] used = new boolean[nb.size()];
        // 1. identical branches, 2. same keywords, 3. by position among the rest
        for (int pass = 0; pass < 3; pass++) {
            for (int i = 0; i < ob.size(); i++) {
                if (match[i] >= 0) {
                    continue;
                }
                for (int j = 0; j < nb.size(); j++) {
                    if (used[j]) {
                        continue;
                    }
                    boolean ok = pass == 0 ? shape(ob.get(i).json).equals(shape(nb.get(j).json))
                            : pass == 1 ? keywords(ob.get(i).json).equals(keywords(nb.get(j).json)) : true;
                    if (ok) {
                        match[i] = j;
                        used[j] = true;
                        break;
                    }
                }
            }
        }
        boolean intersection = kind.equals("allOf");
        boolean oldIntersection = oldKind.equals("allOf");
        boolean exclusive = kind.equals("oneOf") && oldKind.equals("oneOf");
        for (int i = 0; i < ob.size(); i++) {
            if (match[i] >= 0) {
                if (intersection) {
                    imply(o, n, path + "/" + match[i]);
                }
                if (exclusive) {
                    // oneOf: a branch that now accepts more (or less) may start (or stop) overlapping a
                    // sibling, and data that matched exactly one branch then matches two (or the reverse)
                    boolean[] fl = flags(ob.get(i), nb.get(match[i]), path + "/" + match[i], false);
                    int other = overlapping(nb, match[i]);
                    int otherOld = overlapping(ob, i);
                    if ((fl[0] || fl[1]) && (other >= 0 || otherOld >= 0)) {
                        emit(Rule.COMPOSITION_CHANGED, path + "/" + match[i], ob.get(i), nb.get(match[i]), Json.brief(ob.get(i).json), Json.brief(nb.get(match[i]).json),
                                true, true, inv, "oneOf branch " + match[i] + " changed and may overlap branch " + (other >= 0 ? other : otherOld)
                                        + ": a value that matched exactly one branch can match two, which oneOf rejects");
                    }
                }
                compare(ob.get(i), nb.get(match[i]), path + "/" + match[i], inv, Rule.COMPOSITION_BRANCH_ADDED, Rule.COMPOSITION_BRANCH_REMOVED);
            } else {
                boolean overlap = exclusive && overlapping(ob, i) >= 0;
                emit(Rule.COMPOSITION_BRANCH_REMOVED, path + "/" + i, ob.get(i), n, Json.brief(ob.get(i).json), "(absent)",
                        !oldIntersection, oldIntersection || overlap, inv, oldKind + " branch " + Json.brief(ob.get(i).json) + " was removed"
                                + (overlap ? " (it may overlap another branch, so values matching two branches become valid)" : ""));
            }
        }
        for (int j = 0; j < nb.size(); j++) {
            if (!used[j]) {
                boolean overlap = exclusive && overlapping(nb, j) >= 0;
                emit(Rule.COMPOSITION_BRANCH_ADDED, path + "/" + j, o, nb.get(j), "(absent)", Json.brief(nb.get(j).json),
                        intersection || overlap, !intersection, inv, kind + " branch " + Json.brief(nb.get(j).json) + " was added"
                                + (overlap ? " and may overlap another branch: a value matching both is rejected by oneOf" : ""));
            }
        }
    }

    /** The index of a branch that branch k may share values with, or -1 when it is disjoint from all. */
    private int overlapping(List<Node> branches, int k) {
        for (int i = 0; i < branches.size(); i++) {
            if (i != k && mayOverlap(deref(branches.get(k)).json, deref(branches.get(i)).json)) {
                return i;
            }
        }
        return -1;
    }

    /** False only when two schemas provably share no value: disjoint types, disjoint enums, or different required consts. */
    private static boolean mayOverlap(JsonNode a, JsonNode b) {
        if (isFalse(a) || isFalse(b)) {
            return false;
        }
        if (!a.isObject() || !b.isObject()) {
            return true;
        }
        Set<String> ta = types(a);
        Set<String> tb = types(b);
        if (ta != null && tb != null && ta.stream().noneMatch(t -> may(tb, t))) {
            return false;
        }
        List<JsonNode> va = values(a);
        List<JsonNode> vb = values(b);
        if (va != null && vb != null && va.stream().noneMatch(v -> contains(vb, v))) {
            return false;
        }
        JsonNode pa = a.path("properties");
        JsonNode pb = b.path("properties");
        Set<String> ra = stringSet(a, "required");
        Set<String> rb = stringSet(b, "required");
        for (Iterator<String> it = pa.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            if (pb.has(name) && ra.contains(name) && rb.contains(name)) {
                List<JsonNode> xa = values(pa.get(name));
                List<JsonNode> xb = values(pb.get(name));
                if (xa != null && xb != null && xa.stream().noneMatch(v -> contains(xb, v))) {
                    return false; // a discriminator: {"kind": {"const": "card"}} vs {"kind": {"const": "iban"}}
                }
            }
        }
        return true;
    }

    private static Set<String> keywords(JsonNode j) {
        Set<String> set = new java.util.TreeSet<>();
        if (j.isObject()) {
            j.fieldNames().forEachRemaining(k -> {
                if (!ANNOTATIONS.contains(k)) {
                    set.add(k);
                }
            });
        }
        return set;
    }

    private void compareNotAndConditionals(Node o, Node n, String path, boolean inv) {
        Node on = o.child("not");
        Node nn = n.child("not");
        if (on != null && nn != null) {
            compare(on, nn, path + "/not", !inv, Rule.CONSTRAINT_ADDED, Rule.CONSTRAINT_REMOVED);
        } else if (nn != null) {
            emit(Rule.CONSTRAINT_ADDED, path + "/not", o, nn, "(none)", Json.brief(nn.json), true, false, inv, "not was added");
        } else if (on != null) {
            emit(Rule.CONSTRAINT_REMOVED, path + "/not", on, n, Json.brief(on.json), "(none)", false, true, inv, "not was removed");
        }
        Node oi = o.child("if");
        Node ni = n.child("if");
        if (oi != null || ni != null) {
            boolean same = oi != null && ni != null && oi.json.equals(ni.json)
                    && !(flags(oi, ni, path + "/if", false)[0] || flags(oi, ni, path + "/if", false)[1]);
            if (!same) {
                emit(Rule.CONSTRAINT_CHANGED, path + "/if", oi != null ? oi : o, ni != null ? ni : n,
                        oi == null ? "(none)" : Json.brief(oi.json), ni == null ? "(none)" : Json.brief(ni.json), true, true, inv,
                        "the if condition changed; which branch applies to which data changed");
            }
            for (String k : List.of("then", "else")) {
                imply(o, n, path + "/" + k);
                compareOptionalSubschema(o, n, path, inv, k);
            }
        }
    }

    /** Records the property types o and n both impose, for the branch at branchPath. */
    private void imply(Node o, Node n, String branchPath) {
        Map<String, Node> op = properties(o);
        Map<String, Node> np = properties(n);
        for (Map.Entry<String, Node> e : op.entrySet()) {
            Node other = np.get(e.getKey());
            if (other != null) {
                Set<String> a = types(e.getValue().json);
                Set<String> b = types(other.json);
                if (a != null && a.equals(b)) {
                    impliedTypes.put(Pointers.child(branchPath + "/properties", e.getKey()), a);
                }
            }
        }
    }

    private void compareUnknown(Node o, Node n, String path, boolean inv) {
        Set<String> keys = new LinkedHashSet<>();
        o.json.fieldNames().forEachRemaining(keys::add);
        n.json.fieldNames().forEachRemaining(keys::add);
        for (String k : keys) {
            if (HANDLED.contains(k) || ANNOTATIONS.contains(k) || k.startsWith("x-")) {
                continue;
            }
            JsonNode a = o.json.get(k);
            JsonNode b = n.json.get(k);
            if (!Objects.equals(a, b)) {
                emit(Rule.CONSTRAINT_CHANGED, path + "/" + k, at(o, k), at(n, k), a == null ? "(none)" : Json.brief(a), b == null ? "(none)" : Json.brief(b),
                        true, true, inv, "keyword '" + k + "' changed; Herald cannot tell whether it widens or narrows");
            }
        }
    }

    private void compareTitle(Node o, Node n, String path, Set<String> ot, Set<String> nt) {
        if (path.isEmpty()) {
            return; // the event's class name comes from the event name, not from the title
        }
        String a = className(o, ot);
        String b = className(n, nt);
        if (a != null && b != null && !a.equals(b)) {
            emit(Rule.JAVA_CLASS_RENAMED, path, at(o, "title"), at(n, "title"), a, b, false, false, false,
                    "the generated class changes from " + a + " to " + b);
        }
    }

    /**
     * The simple name the generator gives an object or enum: a types/ file is named after the file,
     * anything else after its title, else after the last step of its pointer (the property or $defs entry).
     */
    private static String className(Node s, Set<String> types) {
        boolean named = types != null && types.contains("object") && s.json.has("properties") || s.json.has("enum");
        if (!named) {
            return null;
        }
        String rel = s.source.relativePath();
        if (s.pointer.isEmpty()) {
            if (!rel.startsWith("types/")) {
                return null;
            }
            String stem = rel.substring("types/".length(), rel.length() - (rel.endsWith(".json") ? 5 : 0));
            return dev.herald.schema.Names.javaTypeName(stem);
        }
        JsonNode title = s.json.get("title");
        if (title != null && title.isTextual()) {
            return dev.herald.schema.Names.javaTypeName(title.asText());
        }
        String last = s.pointer.substring(s.pointer.lastIndexOf('/') + 1).replace("~1", "/").replace("~0", "~");
        return last.chars().allMatch(Character::isDigit) ? null : dev.herald.schema.Names.javaTypeName(last);
    }
}
