package dev.herald.runtime.validation;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * Test support (shipped in sdk-runtime's test-jar) for the generator's agreement test: for every
 * event of a generated SDK (found through its catalog resources on a class loader), the generated
 * record + {@link EventValidator} must give the same verdict as networknt on the raw JSON, for the
 * schema's examples and for payloads made from them by mutation — a required property dropped, a
 * pattern broken, a bound exceeded or met, a wrong JSON type, an unknown enum value, a malformed
 * format, an unknown property added, a null or duplicate element, too many or too few elements.
 *
 * <p>networknt runs draft 2020-12 with format assertions on: the records check formats through
 * their Java types (UUID, Instant, ...), so the raw-JSON check must too. Records are read with
 * {@link StrictJson}.
 */
public final class AgreementHarness implements AutoCloseable {

    public static final String CATALOG = "META-INF/herald/catalog.json";
    public static final String ROOT = "META-INF/herald/schemas/";
    private static final String BASE_IRI = "https://catalog.herald.test/schemas/";
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    /** Reads decimals as BigDecimal, as the strict mapper does, so trees compare exactly. */
    public static final ObjectMapper TREES = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS).build();

    /** One event of catalog.json, newest version. */
    public record Event(String name, int version, String javaClass, String schemaPath) {
        @Override
        public String toString() {
            return name + " v" + version;
        }
    }

    /** A schema node and the file it is in ('/'-separated path under the schema root). */
    public record Located(String file, JsonNode node) {
    }

    /** A payload to judge. */
    public record Mutant(String description, JsonNode payload) {
    }

    /** One verdict and why. */
    public record Verdict(boolean valid, String reason) {
    }

    /** The outcome for one event. */
    public record Result(Event event, int payloads, int valid, int invalid, int passedByCompiledChecks, List<String> disagreements) {
        @Override
        public String toString() {
            return "agreement " + event + ": " + payloads + " payloads (" + valid + " valid, " + invalid
                    + " invalid by the schema; " + passedByCompiledChecks + " passed by the compiled checks), "
                    + disagreements.size() + " disagreements"
                    + (disagreements.isEmpty() ? "" : ":\n" + String.join("\n", disagreements));
        }
    }

    private final ClassLoader loader;
    private final ObjectMapper json = StrictJson.mapper();
    private final EventValidator validator = EventValidator.create(json);
    private final Map<String, JsonNode> documents = new ConcurrentHashMap<>();
    private final Map<String, Schema> schemas = new ConcurrentHashMap<>();
    private final SchemaRegistry networknt;

    public AgreementHarness(ClassLoader loader) {
        this.loader = loader;
        // the broker's validator configuration, exactly
        this.networknt = dev.herald.schema.HeraldDialect.validatorRegistry(this::schemaText);
    }

    @Override
    public void close() {
        validator.close();
    }

    public ObjectMapper json() {
        return json;
    }

    public EventValidator validator() {
        return validator;
    }

    /** The events of the catalog on the class loader. */
    public List<Event> events() {
        JsonNode catalog = readResource(CATALOG);
        List<Event> events = new ArrayList<>();
        for (JsonNode e : catalog.get("events")) {
            int version = e.get("version").asInt();
            events.add(new Event(e.get("name").asText(), version, e.get("javaClass").asText(),
                    e.get("schemas").get(Integer.toString(version)).asText()));
        }
        return events;
    }

    public Class<?> recordClass(Event event) {
        try {
            return Class.forName(event.javaClass(), true, loader);
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("the catalog names " + event.javaClass() + ", which is not on the class path", e);
        }
    }

    /** A schema file by its path under the schema root ({@code events/order.created/v2.json}). */
    public JsonNode document(String file) {
        return documents.computeIfAbsent(file, f -> readResource(ROOT + f));
    }

    /** Follows {@code $ref}s (relative file paths and JSON pointer fragments) until a schema without one. */
    public Located resolve(String file, JsonNode schema) {
        Located at = new Located(file, schema);
        for (int hops = 0; at.node().has("$ref"); hops++) {
            if (hops > 20) {
                throw new IllegalStateException("$ref loop in " + file);
            }
            String ref = at.node().get("$ref").asText();
            int hash = ref.indexOf('#');
            String filePart = hash < 0 ? ref : ref.substring(0, hash);
            String pointer = hash < 0 ? "" : ref.substring(hash + 1);
            String target = filePart.isEmpty() ? at.file() : normalize(parent(at.file()) + filePart);
            at = new Located(target, document(target).at(pointer));
        }
        return at;
    }

    /** networknt's errors for {@code data} against the schema file; empty when valid. */
    public List<Error> validateRaw(String schemaFile, JsonNode data) {
        Schema schema = schemas.computeIfAbsent(schemaFile,
                f -> networknt.getSchema(SchemaLocation.of(BASE_IRI + f)));
        return schema.validate(data);
    }

    public Verdict bySchema(String schemaPath, JsonNode payload) {
        List<Error> errors = validateRaw(schemaPath, payload);
        return new Verdict(errors.isEmpty(), errors.isEmpty() ? "valid" : errors.toString());
    }

    public Verdict byRecord(Class<?> record, JsonNode payload) {
        Object value;
        try {
            value = json.readValue(json.writeValueAsString(payload), record);
        } catch (JsonProcessingException e) {
            return new Verdict(false, "Jackson: " + e.getOriginalMessage());
        }
        List<Violation> violations = validator.validate(value);
        return new Verdict(violations.isEmpty(), violations.isEmpty() ? "valid" : violations.toString());
    }

    /**
     * Whether the compiled checks pass the payload's record; fails when they pass a record that
     * Hibernate Validator refuses (they may refuse more: Hibernate then decides, but never less).
     */
    public boolean passedByCompiledChecks(Class<?> record, JsonNode payload) {
        Object value;
        try {
            value = json.readValue(json.writeValueAsString(payload), record);
        } catch (JsonProcessingException e) {
            return false;
        }
        boolean passed = validator.compiled().passes(value);
        List<Violation> byHibernate = validator.byHibernate(value);
        if (passed && !byHibernate.isEmpty()) {
            throw new AssertionError("the compiled checks pass what Hibernate refuses (" + byHibernate + "): " + payload);
        }
        return passed;
    }

    /** Judges the examples of the event's newest schema and every mutation of them, both ways. */
    public Result check(Event event) {
        Class<?> record = recordClass(event);
        JsonNode schema = document(event.schemaPath());
        List<Mutant> mutants = new ArrayList<>();
        for (JsonNode example : schema.path("examples")) {
            mutants.add(new Mutant("the example as written", example));
            mutate(example, "", event.schemaPath(), schema, mutants::add);
        }
        List<String> disagreements = new ArrayList<>();
        int valid = 0;
        int invalid = 0;
        int compiled = 0;
        for (Mutant mutant : mutants) {
            Verdict bySchema = bySchema(event.schemaPath(), mutant.payload());
            Verdict byRecord = byRecord(record, mutant.payload());
            try {
                if (passedByCompiledChecks(record, mutant.payload())) {
                    compiled++;
                }
            } catch (AssertionError e) {
                disagreements.add(mutant.description() + "\n    " + e.getMessage());
            }
            if (bySchema.valid()) {
                valid++;
            } else {
                invalid++;
            }
            if (bySchema.valid() != byRecord.valid()) {
                disagreements.add(mutant.description() + "\n    payload: " + mutant.payload()
                        + "\n    schema: " + bySchema + "\n    record: " + byRecord);
            }
        }
        return new Result(event, mutants.size(), valid, invalid, compiled, disagreements);
    }

    /** Adds each absent optional property that has a {@code default}, recursively (what the record does). */
    public JsonNode withDefaults(JsonNode instance, String file, JsonNode schemaNode) {
        Located schema = resolve(file, schemaNode);
        JsonNode s = schema.node();
        if (instance.isObject() && s.has("properties")) {
            ObjectNode object = (ObjectNode) instance;
            for (Map.Entry<String, JsonNode> property : s.get("properties").properties()) {
                Located p = resolve(schema.file(), property.getValue());
                JsonNode value = object.get(property.getKey());
                if (value == null) {
                    JsonNode def = property.getValue().has("default") ? property.getValue().get("default")
                            : p.node().get("default");
                    if (def != null) {
                        object.set(property.getKey(), def.deepCopy());
                    }
                } else {
                    withDefaults(value, schema.file(), property.getValue());
                }
            }
        } else if (instance.isArray() && s.has("items")) {
            for (JsonNode element : instance) {
                withDefaults(element, schema.file(), s.get("items"));
            }
        }
        return instance;
    }

    // ---------------------------------------------------------------- mutations

    /** Emits mutants of {@code root} that change the object at {@code pointer}, described by {@code schemaNode}. */
    void mutate(JsonNode root, String pointer, String file, JsonNode schemaNode, Consumer<Mutant> out) {
        Located located = resolve(file, schemaNode);
        JsonNode s = located.node();
        JsonNode instance = root.at(pointer);
        if (!instance.isObject()) {
            return;
        }
        Set<String> required = new HashSet<>();
        s.path("required").forEach(r -> required.add(r.asText()));
        out.accept(new Mutant("unknown property added at " + at(pointer),
                set(root, pointer + "/zzUnknownProperty", NODES.numberNode(1))));
        for (Map.Entry<String, JsonNode> property : s.path("properties").properties()) {
            String name = property.getKey();
            String p = pointer + "/" + escape(name);
            Located ps = resolve(located.file(), property.getValue());
            JsonNode value = instance.get(name);
            if (value == null) {
                continue;
            }
            out.accept(new Mutant((required.contains(name) ? "required" : "optional") + " property dropped: "
                    + at(p), remove(root, p)));
            values(root, p, ps, value, out);
            if (value.isObject() && ps.node().path("additionalProperties").isObject()) {
                if (!value.isEmpty()) {
                    String key = value.fieldNames().next();
                    Located entry = resolve(ps.file(), ps.node().get("additionalProperties"));
                    values(root, p + "/" + escape(key), entry, value.get(key), out);
                }
            } else if (value.isObject()) {
                mutate(root, p, ps.file(), ps.node(), out);
            } else if (value.isArray() && !value.isEmpty() && ps.node().has("items")) {
                mutate(root, p + "/0", ps.file(), ps.node().get("items"), out);
                Located items = resolve(ps.file(), ps.node().get("items"));
                values(root, p + "/0", items, value.get(0), out);
            }
        }
        // the parts of an allOf, and the non-null branch of a nullable union, describe this object too
        for (JsonNode part : s.path("allOf")) {
            mutate(root, pointer, located.file(), part, out);
        }
        for (String union : List.of("oneOf", "anyOf")) {
            for (JsonNode branch : s.path(union)) {
                if (!branch.path("type").asText("").equals("null")) {
                    mutate(root, pointer, located.file(), branch, out);
                }
            }
        }
    }

    /** Mutants that replace the value at {@code p} (schema {@code ps}) with values that break or meet its rules. */
    private void values(JsonNode root, String p, Located ps, JsonNode value, Consumer<Mutant> out) {
        JsonNode s = ps.node();
        for (String union : List.of("oneOf", "anyOf")) {
            if (s.path(union).isArray()) {
                boolean admitsNull = false;
                for (JsonNode branch : s.get(union)) {
                    admitsNull |= branch.path("type").asText("").equals("null");
                }
                if (admitsNull) {
                    out.accept(new Mutant("null for a " + union + " with a null branch at " + at(p), set(root, p, NODES.nullNode())));
                }
                for (JsonNode branch : s.get(union)) {
                    if (!branch.path("type").asText("").equals("null")) {
                        values(root, p, resolve(ps.file(), branch), value, out);
                    }
                }
                return;
            }
        }
        for (JsonNode part : s.path("allOf")) {
            values(root, p, resolve(ps.file(), part), value, out);
        }
        JsonNode typeNode = s.path("type");
        String type = typeNode.isTextual() ? typeNode.asText()
                : typeNode.isArray() && typeNode.size() > 0 ? typeNode.get(0).asText()
                : s.has("enum") || s.has("const") ? "string" : s.has("properties") ? "object" : "";
        if (typeNode.isArray()) {
            out.accept(new Mutant("null where the type admits it at " + at(p), set(root, p, NODES.nullNode())));
        }
        switch (type) {
            case "string" -> {
                out.accept(new Mutant("wrong type (number for string) at " + at(p), set(root, p, NODES.numberNode(12345))));
                out.accept(new Mutant("wrong type (boolean for string) at " + at(p), set(root, p, NODES.booleanNode(true))));
                if (s.has("const")) {
                    out.accept(new Mutant("const broken at " + at(p), set(root, p, NODES.textNode("not-the-const"))));
                }
                if (s.has("enum")) {
                    out.accept(new Mutant("unknown enum value at " + at(p), set(root, p, NODES.textNode("not-a-known-value"))));
                    for (JsonNode known : s.get("enum")) {
                        out.accept(new Mutant("enum value " + known + " at " + at(p), set(root, p, known.deepCopy())));
                    }
                }
                if (s.has("pattern")) {
                    Pattern pattern = Pattern.compile(s.get("pattern").asText());
                    for (String candidate : List.of("!", "lower case", "0", "ZZZZZZZZZZZZZZZZZZZZ", "")) {
                        if (!pattern.matcher(candidate).find()) {
                            out.accept(new Mutant("pattern broken with \"" + candidate + "\" at " + at(p),
                                    set(root, p, NODES.textNode(candidate))));
                            break;
                        }
                    }
                    if (value.isTextual()) {
                        out.accept(new Mutant("pattern kept, text around it at " + at(p),
                                set(root, p, NODES.textNode("#" + value.asText() + "#"))));
                    }
                }
                if (s.has("maxLength")) {
                    int max = s.get("maxLength").asInt();
                    out.accept(new Mutant("maxLength exceeded at " + at(p), set(root, p, NODES.textNode(stretch(value, max + 1)))));
                    out.accept(new Mutant("maxLength met at " + at(p), set(root, p, NODES.textNode(stretch(value, max)))));
                    if (!s.has("pattern") && !s.has("format") && !s.has("enum") && !s.has("const")) {
                        // lengths count code points: an emoji is one character, two UTF-16 units
                        out.accept(new Mutant("maxLength met with non-BMP text at " + at(p), set(root, p, NODES.textNode("\uD83D\uDE00".repeat(max)))));
                        out.accept(new Mutant("maxLength exceeded with non-BMP text at " + at(p),
                                set(root, p, NODES.textNode("\uD83D\uDE00".repeat(max + 1)))));
                    }
                }
                if (s.has("minLength") && s.get("minLength").asInt() > 0) {
                    int min = s.get("minLength").asInt();
                    out.accept(new Mutant("minLength undercut at " + at(p), set(root, p, NODES.textNode("a".repeat(min - 1)))));
                }
                String format = s.path("format").asText("");
                String malformed = switch (format) {
                    case "date-time" -> "2026-11-22 10:00";
                    case "date" -> "22/11/2026";
                    case "uuid" -> "not-a-uuid";
                    case "email" -> "no-at-sign.example.com";
                    case "uri" -> "not a uri";
                    case "hostname" -> "under_score.example.com";
                    case "ipv4" -> "192.0.2.999";
                    case "ipv6" -> "2001:db8:::zz";
                    case "uri-template" -> "https://example.com/{site";
                    case "uri-reference" -> "\\\\not a reference";
                    case "json-pointer" -> "checks/0";
                    case "time" -> "10:00";
                    case "duration" -> "5 minutes";
                    default -> null;
                };
                if (malformed != null) {
                    out.accept(new Mutant("malformed " + format + " at " + at(p), set(root, p, NODES.textNode(malformed))));
                }
            }
            case "integer", "number" -> {
                boolean integer = type.equals("integer");
                out.accept(new Mutant("wrong type (string for " + type + ") at " + at(p), set(root, p, NODES.textNode("12"))));
                out.accept(new Mutant("wrong type (boolean for " + type + ") at " + at(p), set(root, p, NODES.booleanNode(false))));
                if (integer) {
                    out.accept(new Mutant("wrong type (fraction for integer) at " + at(p),
                            set(root, p, NODES.numberNode(new BigDecimal("1.5")))));
                }
                BigDecimal step = integer ? BigDecimal.ONE : new BigDecimal("0.01");
                bound(root, p, s, "minimum", step.negate(), true, out);
                bound(root, p, s, "maximum", step, true, out);
                bound(root, p, s, "exclusiveMinimum", step, false, out);
                bound(root, p, s, "exclusiveMaximum", step.negate(), false, out);
                if (s.has("multipleOf") && !integer) {
                    BigDecimal m = s.get("multipleOf").decimalValue();
                    out.accept(new Mutant("multipleOf broken at " + at(p), set(root, p,
                            NODES.numberNode(m.multiply(new BigDecimal("3")).add(m.movePointLeft(1))))));
                    out.accept(new Mutant("multipleOf met at " + at(p), set(root, p,
                            NODES.numberNode(m.multiply(new BigDecimal("7"))))));
                }
            }
            case "boolean" -> {
                out.accept(new Mutant("wrong type (string for boolean) at " + at(p), set(root, p, NODES.textNode("true"))));
                out.accept(new Mutant("wrong type (number for boolean) at " + at(p), set(root, p, NODES.numberNode(1))));
            }
            case "array" -> {
                out.accept(new Mutant("wrong type (string for array) at " + at(p), set(root, p, NODES.textNode("x"))));
                out.accept(new Mutant("wrong type (object for array) at " + at(p), set(root, p, NODES.objectNode())));
                if (value.isArray() && !value.isEmpty()) {
                    if (s.has("maxItems")) {
                        ArrayNode longer = NODES.arrayNode();
                        for (int i = 0; i <= s.get("maxItems").asInt(); i++) {
                            longer.add(value.get(i % value.size()).deepCopy());
                        }
                        out.accept(new Mutant("maxItems exceeded at " + at(p), set(root, p, longer)));
                    }
                    if (s.path("uniqueItems").asBoolean(false)) {
                        ArrayNode twice = ((ArrayNode) value.deepCopy()).add(value.get(0).deepCopy());
                        out.accept(new Mutant("duplicate element at " + at(p), set(root, p, twice)));
                    }
                    ArrayNode withNull = ((ArrayNode) value.deepCopy()).addNull();
                    out.accept(new Mutant("null element at " + at(p), set(root, p, withNull)));
                }
                if (s.has("minItems") && s.get("minItems").asInt() > 0) {
                    out.accept(new Mutant("minItems undercut at " + at(p), set(root, p, NODES.arrayNode())));
                }
            }
            case "object" -> {
                out.accept(new Mutant("wrong type (string for object) at " + at(p), set(root, p, NODES.textNode("x"))));
                out.accept(new Mutant("wrong type (array for object) at " + at(p), set(root, p, NODES.arrayNode())));
                if (s.has("maxProperties") && value.isObject() && !value.isEmpty()) {
                    ObjectNode bigger = NODES.objectNode();
                    JsonNode any = value.elements().next();
                    for (int i = 0; i <= s.get("maxProperties").asInt(); i++) {
                        bigger.set("k" + i, any.deepCopy());
                    }
                    out.accept(new Mutant("maxProperties exceeded at " + at(p), set(root, p, bigger)));
                }
            }
            default -> {
            }
        }
    }

    private static void bound(JsonNode root, String p, JsonNode s, String keyword, BigDecimal beyond,
                              boolean inclusive, Consumer<Mutant> out) {
        if (!s.has(keyword)) {
            return;
        }
        BigDecimal limit = s.get(keyword).decimalValue();
        out.accept(new Mutant(keyword + (inclusive ? " met exactly" : " hit exactly") + " at " + at(p),
                set(root, p, NODES.numberNode(limit))));
        out.accept(new Mutant(keyword + (inclusive ? " exceeded" : " respected by one step") + " at " + at(p),
                set(root, p, NODES.numberNode(limit.add(beyond)))));
    }

    private static String stretch(JsonNode value, int length) {
        String base = value.isTextual() && !value.asText().isEmpty() ? value.asText() : "a";
        StringBuilder out = new StringBuilder(base);
        while (out.length() < length) {
            out.append(base);
        }
        return out.substring(0, length);
    }

    private static String at(String pointer) {
        return pointer.isEmpty() ? "(root)" : pointer;
    }

    private static String escape(String token) {
        return token.replace("~", "~0").replace("/", "~1");
    }

    private static JsonNode set(JsonNode root, String pointer, JsonNode value) {
        JsonNode copy = root.deepCopy();
        int slash = pointer.lastIndexOf('/');
        JsonNode parent = copy.at(pointer.substring(0, slash));
        String last = pointer.substring(slash + 1).replace("~1", "/").replace("~0", "~");
        if (parent.isArray()) {
            ((ArrayNode) parent).set(Integer.parseInt(last), value);
        } else {
            ((ObjectNode) parent).set(last, value);
        }
        return copy;
    }

    private static JsonNode remove(JsonNode root, String pointer) {
        JsonNode copy = root.deepCopy();
        int slash = pointer.lastIndexOf('/');
        JsonNode parent = copy.at(pointer.substring(0, slash));
        String last = pointer.substring(slash + 1).replace("~1", "/").replace("~0", "~");
        if (parent.isArray()) {
            ((ArrayNode) parent).remove(Integer.parseInt(last));
        } else {
            ((ObjectNode) parent).remove(last);
        }
        return copy;
    }

    // ---------------------------------------------------------------- resources

    private String schemaText(String iri) {
        if (!iri.startsWith(BASE_IRI)) {
            return null;
        }
        try (InputStream in = loader.getResourceAsStream(ROOT + iri.substring(BASE_IRI.length()))) {
            return in == null ? null : new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private JsonNode readResource(String path) {
        try (InputStream in = loader.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("no resource " + path + " (did herald:generate run?)");
            }
            return TREES.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String parent(String file) {
        int slash = file.lastIndexOf('/');
        return slash < 0 ? "" : file.substring(0, slash + 1);
    }

    private static String normalize(String path) {
        ArrayDeque<String> parts = new ArrayDeque<>();
        for (String part : path.split("/")) {
            if (part.isEmpty() || part.equals(".")) {
                continue;
            }
            if (part.equals("..")) {
                parts.removeLast();
            } else {
                parts.addLast(part);
            }
        }
        return String.join("/", parts);
    }
}
