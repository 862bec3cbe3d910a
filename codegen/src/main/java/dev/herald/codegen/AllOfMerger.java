package dev.herald.codegen;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.herald.schema.Problem;
import dev.herald.schema.Registry;
import dev.herald.schema.RegistryException;
import dev.herald.schema.ResolvedRef;
import dev.herald.schema.SchemaDocument;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Merges an {@code allOf} into the one schema it means, when its parts are consistent: the
 * properties and {@code required} of object parts united (a {@code $ref} to a shared type plus a
 * refinement becomes one record), the keywords of scalar parts combined. A merged property keeps
 * pointing at where it was written ({@code {"$ref": "<file>#/properties/<name>"}}), so its own
 * {@code $ref}s still resolve from their file and its problems are reported there. Parts that
 * contradict each other are refused, naming both places.
 */
final class AllOfMerger {

    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    /** One part of the allOf, where it was written. */
    record Part(SchemaDocument doc, String pointer, JsonNode node) {
        String where() {
            return doc.relativePath() + "#" + pointer;
        }
    }

    /** The merged schema, or the problems that prevent it. */
    record Result(JsonNode merged, List<Problem> problems) {
    }

    private final Registry registry;
    private final List<Problem> problems = new ArrayList<>();

    AllOfMerger(Registry registry) {
        this.registry = registry;
    }

    /** {@code s} at {@code doc#pointer} holds {@code allOf}; its siblings count as one more part. */
    Result merge(SchemaDocument doc, String pointer, JsonNode s) {
        List<Part> parts = new ArrayList<>();
        ObjectNode siblings = s.deepCopy();
        siblings.remove("allOf");
        if (hasValidation(siblings)) {
            parts.add(new Part(doc, pointer, siblings));
        }
        JsonNode allOf = s.get("allOf");
        if (!allOf.isArray() || allOf.isEmpty()) {
            problem(doc, pointer + "/allOf", "\"allOf\" must be a non-empty array of schemas", "list the schemas the value must match");
            return result(null);
        }
        for (int i = 0; i < allOf.size(); i++) {
            flatten(new Part(doc, pointer + "/allOf/" + i, allOf.get(i)), parts, 0);
        }
        if (!problems.isEmpty()) {
            return result(null);
        }
        ObjectNode merged = F.objectNode();
        copyAnnotations(s, merged);
        boolean objects = parts.stream().anyMatch(p -> isObjectPart(p.node()));
        if (objects) {
            mergeObjects(doc, pointer, parts, merged);
        } else {
            mergeScalars(doc, pointer, parts, merged);
        }
        return result(merged);
    }

    /** Follows {@code $ref}s and nested {@code allOf}s down to the parts that hold keywords. */
    private void flatten(Part part, List<Part> out, int depth) {
        JsonNode n = part.node();
        if (depth > 32) {
            problem(part.doc(), part.pointer(), "the allOf refers to itself", "break the cycle");
            return;
        }
        if (!n.isObject()) {
            problem(part.doc(), part.pointer(), "a part of allOf is not a schema object", "write each part as an object schema");
            return;
        }
        if (n.has("$ref")) {
            ResolvedRef target;
            try {
                target = registry.resolve(part.doc(), n.get("$ref").asText(), part.pointer() + "/$ref");
            } catch (RegistryException e) {
                problems.addAll(e.problems());
                return;
            }
            ObjectNode rest = n.deepCopy();
            rest.remove("$ref");
            if (hasValidation(rest)) {
                out.add(new Part(part.doc(), part.pointer(), rest));
            }
            flatten(new Part(target.document(), target.pointer(), target.node()), out, depth + 1);
            return;
        }
        if (n.has("allOf")) {
            ObjectNode rest = n.deepCopy();
            rest.remove("allOf");
            if (hasValidation(rest)) {
                out.add(new Part(part.doc(), part.pointer(), rest));
            }
            JsonNode inner = n.get("allOf");
            for (int i = 0; inner.isArray() && i < inner.size(); i++) {
                flatten(new Part(part.doc(), part.pointer() + "/allOf/" + i, inner.get(i)), out, depth + 1);
            }
            return;
        }
        out.add(part);
    }

    private void mergeObjects(SchemaDocument doc, String pointer, List<Part> parts, ObjectNode merged) {
        merged.put("type", "object");
        ObjectNode properties = merged.putObject("properties");
        Map<String, Part> owner = new LinkedHashMap<>();
        Map<String, List<Part>> definitions = new LinkedHashMap<>();
        Set<String> required = new LinkedHashSet<>();
        List<Part> closed = new ArrayList<>();
        for (Part part : parts) {
            JsonNode n = part.node();
            if (!isObjectPart(n)) {
                problem(part.doc(), part.pointer(), "this part of an allOf is not an object, but another part is",
                        "make every part describe the same object (properties, required), or drop this part");
                continue;
            }
            if (n.has("type") && !"object".equals(n.path("type").asText(null))) {
                problem(part.doc(), part.pointer() + "/type", "this part of an allOf is of type " + n.get("type") + ", another is an object",
                        "make every part describe the same object, or drop this part");
                continue;
            }
            for (var it = n.fieldNames(); it.hasNext(); ) {
                String k = it.next();
                if (!Set.of("type", "properties", "required", "additionalProperties").contains(k) && !registry.isAnnotation(k)) {
                    problem(part.doc(), part.pointer() + "/" + SchemaDocument.escape(k), "\"" + k
                            + "\" in a part of an allOf cannot be merged into one record", "move it into the object's properties");
                }
            }
            for (Map.Entry<String, JsonNode> p : n.path("properties").properties()) {
                String name = p.getKey();
                String at = part.pointer() + "/properties/" + SchemaDocument.escape(name);
                Part before = owner.get(name);
                definitions.computeIfAbsent(name, k -> new ArrayList<>()).add(new Part(part.doc(), at, p.getValue()));
                if (before == null) {
                    owner.put(name, new Part(part.doc(), at, p.getValue()));
                    ObjectNode ref = refTo(doc, part.doc(), at);
                    // what the use site reads (description, aliases, Java name, default) travels with the reference
                    p.getValue().properties().forEach(e -> {
                        if (!e.getKey().equals("$ref") && registry.isAnnotation(e.getKey())) {
                            ref.set(e.getKey(), e.getValue());
                        }
                    });
                    properties.set(name, ref);
                }
            }
            n.path("required").forEach(r -> required.add(r.asText()));
            JsonNode additional = n.get("additionalProperties");
            if (additional != null && additional.isBoolean() && !additional.booleanValue()) {
                closed.add(part);
            } else if (additional != null && !additional.isBoolean()) {
                problem(part.doc(), part.pointer() + "/additionalProperties", "an \"additionalProperties\" schema in an allOf "
                        + "cannot be merged into a record", "declare the extra entries as a property of their own (a Map)");
            }
        }
        // a property several parts define must satisfy all of them: their intersection
        definitions.forEach((name, defs) -> {
            if (defs.size() > 1 && defs.stream().map(Part::node).distinct().count() > 1) {
                JsonNode both = intersect(doc, name, defs);
                if (both != null) {
                    if (both.isObject()) {
                        // what the use site reads (description, aliases, Java name, default) travels with it;
                        // the refining (later) part speaks first
                        for (int k = defs.size() - 1; k >= 0; k--) {
                            Part d = defs.get(k);
                            d.node().properties().forEach(e -> {
                                if (!e.getKey().equals("$ref") && registry.isAnnotation(e.getKey()) && !both.has(e.getKey())) {
                                    ((ObjectNode) both).set(e.getKey(), e.getValue());
                                }
                            });
                        }
                    }
                    properties.set(name, both);
                }
            }
        });
        for (Part c : closed) {
            // JSON Schema checks each part on its own: a closed part refuses what only the others declare
            for (String name : owner.keySet()) {
                if (!c.node().path("properties").has(name)) {
                    problem(c.doc(), c.pointer() + "/additionalProperties", "this part of the allOf allows no property but its own, "
                            + "so \"" + name + "\" (declared at " + owner.get(name).where() + ") is always refused",
                            "remove \"additionalProperties\": false here, or declare \"" + name + "\" in this part too");
                }
            }
        }
        if (!closed.isEmpty()) {
            merged.put("additionalProperties", false);
        }
        if (!required.isEmpty()) {
            ArrayNode r = merged.putArray("required");
            required.forEach(r::add);
        }
    }

    /** A definition split into whether it admits null and what it is otherwise. */
    private record Facet(Part at, boolean nullable, boolean nullOnly, JsonNode core, String coreAt) {
    }

    private Facet facet(Part d) {
        JsonNode n = d.node();
        for (String k : List.of("oneOf", "anyOf")) {
            JsonNode b = n.get(k);
            if (b != null && b.isArray() && b.size() == 2 && onlyAnnotationsBesides(n, k)) {
                int nullAt = isNull(b.get(0)) ? 0 : isNull(b.get(1)) ? 1 : -1;
                if (nullAt >= 0) {
                    return new Facet(d, true, false, b.get(1 - nullAt), d.pointer() + "/" + k + "/" + (1 - nullAt));
                }
            }
            if (b != null && b.isArray() && b.size() > 2 && onlyAnnotationsBesides(n, k)) {
                // a union with a null branch among several: nullable, and the union of the others
                ArrayNode rest = F.arrayNode();
                b.forEach(x -> {
                    if (!isNull(x)) {
                        rest.add(x);
                    }
                });
                if (rest.size() < b.size()) {
                    return new Facet(d, true, false, F.objectNode().set(k, rest), d.pointer());
                }
            }
        }
        if (isNull(n)) {
            return new Facet(d, true, true, null, d.pointer());
        }
        JsonNode type = n.get("type");
        if (type != null && type.isArray() && type.size() == 2 && (type.get(0).asText().equals("null") || type.get(1).asText().equals("null"))) {
            ObjectNode core = n.deepCopy();
            core.put("type", type.get(0).asText().equals("null") ? type.get(1).asText() : type.get(0).asText());
            return new Facet(d, true, false, core, d.pointer());
        }
        return new Facet(d, admitsNull(d), false, n, d.pointer());
    }

    /**
     * Whether a definition that is not written as a null union still accepts null: no {@code type}
     * (nor anything that demands one), an enum listing null, or a {@code $ref} to such a schema.
     */
    private boolean admitsNull(Part d) {
        JsonNode n = d.node();
        if (n.isBoolean()) {
            return n.booleanValue();
        }
        if (n.has("$ref")) {
            try {
                ResolvedRef t = registry.resolve(d.doc(), n.get("$ref").asText(), d.pointer() + "/$ref");
                return admitsNull(new Part(t.document(), t.pointer(), t.node()));
            } catch (RegistryException e) {
                return false;
            }
        }
        JsonNode type = n.get("type");
        if (type != null) {
            return type.isArray() && type.toString().contains("\"null\"");
        }
        if (n.has("enum")) {
            return n.get("enum").toString().contains("null");
        }
        return !n.has("properties") && !n.has("const") && !n.has("oneOf") && !n.has("anyOf") && !n.has("allOf");
    }

    private static boolean isNull(JsonNode n) {
        return n.isObject() && n.path("type").isTextual() && n.get("type").asText().equals("null");
    }

    private boolean onlyAnnotationsBesides(JsonNode n, String keyword) {
        for (var it = n.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (!k.equals(keyword) && !registry.isAnnotation(k)) {
                return false;
            }
        }
        return true;
    }

    /**
     * The intersection of a property's definitions in several parts, as one schema written in
     * {@code doc}; null (with a problem) when they contradict. A nullable and a non-null
     * definition give the non-null one; two references to one type give it; scalars give their
     * keywords combined (enums intersected, bounds tightened); a reference and a refinement give
     * an {@code allOf} of both, merged again where used.
     */
    private JsonNode intersect(SchemaDocument doc, String name, List<Part> defs) {
        for (Part d : defs) {
            if (d.node().isBoolean() && !d.node().booleanValue()) {
                conflict(defs, name, "one part is the schema false, which accepts nothing");
                return null;
            }
        }
        defs = defs.stream().filter(d -> !(d.node().isBoolean() || d.node().isObject() && d.node().isEmpty())).toList();
        if (defs.size() == 1) {
            return refTo(doc, defs.get(0).doc(), defs.get(0).pointer()); // the others accept anything
        }
        List<Facet> facets = defs.stream().map(this::facet).toList();
        boolean nullable = facets.stream().allMatch(Facet::nullable);
        List<Facet> cores = facets.stream().filter(f -> !f.nullOnly()).toList();
        if (cores.isEmpty()) {
            return F.objectNode().put("type", "null");
        }
        if (nullable && facets.stream().anyMatch(Facet::nullOnly)) {
            return F.objectNode().put("type", "null");
        }
        if (!nullable && facets.stream().anyMatch(Facet::nullOnly)) {
            conflict(defs, name, "one part allows only null, another no null");
            return null;
        }
        JsonNode core;
        boolean refs = cores.stream().anyMatch(f -> f.core().has("$ref") || f.core().has("properties") || f.core().has("allOf"));
        if (refs) {
            java.util.Set<String> targets = new java.util.LinkedHashSet<>();
            ArrayNode all = F.arrayNode();
            for (Facet f : cores) {
                if (f.core().has("$ref") && onlyAnnotationsBesides(f.core(), "$ref")) {
                    try {
                        ResolvedRef t = registry.resolve(f.at().doc(), f.core().get("$ref").asText(), f.coreAt() + "/$ref");
                        if (!targets.add(t.document().relativePath() + "#" + t.pointer())) {
                            continue; // the same type again
                        }
                    } catch (RegistryException e) {
                        problems.addAll(e.problems());
                        return null;
                    }
                }
                all.add(refTo(doc, f.at().doc(), f.coreAt()));
            }
            core = all.size() == 1 ? all.get(0) : F.objectNode().set("allOf", all);
        } else {
            core = scalarIntersection(doc, defs, name, cores);
            if (core == null) {
                return null;
            }
        }
        if (!nullable) {
            return core;
        }
        ArrayNode oneOf = F.arrayNode().add(core).add(F.objectNode().put("type", "null"));
        return F.objectNode().set("oneOf", oneOf);
    }

    private JsonNode scalarIntersection(SchemaDocument doc, List<Part> defs, String name, List<Facet> cores) {
        cores = narrowUnions(cores);
        ObjectNode out = F.objectNode();
        ArrayNode items = F.arrayNode();
        for (Facet f : cores) {
            for (Map.Entry<String, JsonNode> e : f.core().properties()) {
                String k = e.getKey();
                JsonNode v = e.getValue();
                if (k.equals("items") && v.isObject()) {
                    // the elements must satisfy every part's items: merged again where used
                    items.add(refTo(doc, f.at().doc(), f.coreAt() + "/items"));
                    continue;
                }
                if (containsRef(v)) {
                    conflict(defs, name, "\"" + k + "\" refers to another schema inside a scalar");
                    return null;
                }
                JsonNode had = out.get(k);
                if (had == null || had.equals(v) || registry.isAnnotation(k)) {
                    if (had == null) {
                        out.set(k, v);
                    }
                    continue;
                }
                switch (k) {
                    case "enum" -> {
                        ArrayNode both = F.arrayNode();
                        had.forEach(x -> {
                            for (JsonNode y : v) {
                                if (x.equals(y)) {
                                    both.add(x);
                                }
                            }
                        });
                        if (both.isEmpty()) {
                            conflict(defs, name, "the enums " + had + " and " + v + " share no value");
                            return null;
                        }
                        out.set(k, both);
                    }
                    case "minimum", "exclusiveMinimum", "minLength", "minItems", "minProperties" ->
                            out.set(k, had.decimalValue().compareTo(v.decimalValue()) >= 0 ? had : v);
                    case "maximum", "exclusiveMaximum", "maxLength", "maxItems", "maxProperties" ->
                            out.set(k, had.decimalValue().compareTo(v.decimalValue()) <= 0 ? had : v);
                    case "type" -> {
                        // an integer is a number: the narrower type
                        if (had.isTextual() && v.isTextual() && Set.of(had.asText(), v.asText()).equals(Set.of("integer", "number"))) {
                            out.put(k, "integer");
                        } else {
                            conflict(defs, name, "\"type\" is " + had + " in one part and " + v + " in another");
                            return null;
                        }
                    }
                    default -> {
                        problem(defs.get(defs.size() - 1).doc(), defs.get(defs.size() - 1).pointer(), "property \"" + name + "\" has \"" + k
                                + "\" " + had + " at " + defs.get(0).where() + " and " + v + " here: Herald cannot merge the two into one rule",
                                "write the merged rule in one part only, or make both equal");
                        return null;
                    }
                }
            }
        }
        if (items.size() == 1) {
            out.set("items", items.get(0));
        } else if (items.size() > 1) {
            out.set("items", F.objectNode().set("allOf", items));
        }
        return out;
    }

    /**
     * A union of scalar types met by a definition of one type is that type: {@code oneOf [string,
     * number, null]} and {@code type: number} give {@code number} (an integer also meets number).
     */
    private List<Facet> narrowUnions(List<Facet> cores) {
        String type = null;
        for (Facet f : cores) {
            if (f.core().path("type").isTextual()) {
                type = f.core().get("type").asText();
            }
        }
        if (type == null) {
            return cores;
        }
        List<Facet> out = new ArrayList<>();
        for (Facet f : cores) {
            JsonNode core = f.core();
            String union = core.has("oneOf") ? "oneOf" : core.has("anyOf") ? "anyOf" : null;
            if (union != null && onlyAnnotationsBesides(core, union) && core.get(union).isArray()) {
                JsonNode match = null;
                int matches = 0;
                int at = -1;
                boolean allTyped = true;
                JsonNode branches = core.get(union);
                for (int k = 0; k < branches.size(); k++) {
                    JsonNode b = branches.get(k);
                    allTyped &= b.path("type").isTextual();
                    String t = b.path("type").asText("");
                    if (t.equals(type) || (type.equals("integer") && t.equals("number"))) {
                        match = b;
                        matches++;
                        at = k;
                    }
                }
                // only when every branch says its type can the others be ruled out
                if (allTyped && matches == 1 && !containsRef(match)) {
                    out.add(new Facet(f.at(), f.nullable(), false, match, f.coreAt() + "/" + union + "/" + at));
                    continue;
                }
            }
            out.add(f);
        }
        return out;
    }

    private void conflict(List<Part> defs, String name, String why) {
        Part last = defs.get(defs.size() - 1);
        problem(last.doc(), last.pointer(), "property \"" + name + "\" is defined here and at " + defs.get(0).where()
                        + " in ways no value can satisfy together: " + why,
                "make the definitions agree, or define the property in one part only");
    }

    /** Scalar parts: their keywords combined, enums intersected and bounds tightened; a contradiction is refused. */
    private void mergeScalars(SchemaDocument doc, String pointer, List<Part> parts, ObjectNode merged) {
        List<Facet> cores = parts.stream().map(p -> new Facet(p, false, false, p.node(), p.pointer())).toList();
        JsonNode both = scalarIntersection(doc, parts, "(the value at " + doc.relativePath() + "#" + pointer + ")", cores);
        if (both != null) {
            both.properties().forEach(e -> merged.set(e.getKey(), e.getValue()));
        }
    }

    private static boolean isObjectPart(JsonNode n) {
        return n.has("properties") || "object".equals(n.path("type").asText(null))
                || (n.has("required") && !n.has("type"));
    }

    private boolean hasValidation(JsonNode n) {
        for (var it = n.fieldNames(); it.hasNext(); ) {
            if (!registry.isAnnotation(it.next())) {
                return true;
            }
        }
        return false;
    }

    private static boolean containsRef(JsonNode n) {
        if (n.isObject() && n.has("$ref")) {
            return true;
        }
        for (JsonNode c : n) {
            if (containsRef(c)) {
                return true;
            }
        }
        return false;
    }

    private void copyAnnotations(JsonNode s, ObjectNode merged) {
        for (String k : List.of("title", "description", "deprecated")) {
            if (s.has(k)) {
                merged.set(k, s.get(k));
            }
        }
    }

    /** A {@code $ref} written in {@code from} that leads to {@code to#pointer}. */
    static ObjectNode refTo(SchemaDocument from, SchemaDocument to, String pointer) {
        return F.objectNode().put("$ref", relativePath(from.relativePath(), to.relativePath()) + "#" + pointer);
    }

    /** {@code events/a/v1.json} → {@code types/b.json} is {@code ../../types/b.json}; the same file is empty. */
    static String relativePath(String from, String to) {
        if (from.equals(to)) {
            return "";
        }
        String[] a = from.split("/");
        String[] b = to.split("/");
        int common = 0;
        while (common < a.length - 1 && common < b.length - 1 && a[common].equals(b[common])) {
            common++;
        }
        StringBuilder out = new StringBuilder();
        for (int i = common; i < a.length - 1; i++) {
            out.append("../");
        }
        for (int i = common; i < b.length; i++) {
            out.append(b[i]).append(i < b.length - 1 ? "/" : "");
        }
        return out.toString();
    }

    private void problem(SchemaDocument doc, String pointer, String message, String fix) {
        problems.add(new Problem(doc.locate(pointer), message, fix));
    }

    private Result result(JsonNode merged) {
        return new Result(problems.isEmpty() ? merged : null, List.copyOf(problems));
    }
}
