package dev.herald.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Error;
import dev.herald.runtime.validation.EventValidator;
import dev.herald.runtime.validation.StrictJson;
import dev.herald.runtime.validation.Violation;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The generated record plus Hibernate Validator must give the same verdict as the JSON Schema
 * (networknt, on the raw JSON) for every event: on the examples, and on payloads made from them
 * by mutation — a required property dropped, a pattern broken, a bound exceeded or just met, a
 * wrong JSON type, an unknown enum value, a malformed format, an unknown property added.
 * Any disagreement fails, with both verdicts and the payload.
 */
class AgreementTest {

    private static final SchemaCatalog CATALOG = SchemaCatalog.INSTANCE;
    private static final ObjectMapper JSON = StrictJson.mapper();
    private static final EventValidator VALIDATOR = EventValidator.create(JSON);
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    /** A payload to judge. */
    record Mutant(String description, JsonNode payload) {
    }

    /** One verdict and why. */
    record Verdict(boolean valid, String reason) {
    }

    @AfterAll
    static void close() {
        VALIDATOR.close();
    }

    static List<SchemaCatalog.Event> events() {
        return CATALOG.events();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("events")
    void recordAndSchemaAgreeOnEveryMutation(SchemaCatalog.Event event) throws Exception {
        Class<?> record = Class.forName(event.javaClass());
        JsonNode schema = CATALOG.document(event.schemaPath());
        List<Mutant> mutants = new ArrayList<>();
        for (JsonNode example : schema.get("examples")) {
            mutants.add(new Mutant("the example as written", example));
            mutate(example, "", event.schemaPath(), schema, mutants::add);
        }
        List<String> disagreements = new ArrayList<>();
        int valid = 0;
        int invalid = 0;
        for (Mutant mutant : mutants) {
            Verdict bySchema = bySchema(event.schemaPath(), mutant.payload());
            Verdict byRecord = byRecord(record, mutant.payload());
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
        assertThat(disagreements).as("%s: %d payloads (%d valid, %d invalid); disagreements:\n%s", event,
                mutants.size(), valid, invalid, String.join("\n", disagreements)).isEmpty();
        assertThat(invalid).as("mutations that the schema refuses").isGreaterThanOrEqualTo(5);
        assertThat(valid).as("payloads the schema accepts").isPositive();
    }

    @Test
    void theJudgesAreNotTrivial() throws Exception {
        SchemaCatalog.Event event = events().get(0);
        JsonNode example = CATALOG.document(event.schemaPath()).get("examples").get(0);
        Class<?> record = Class.forName(event.javaClass());
        assertThat(bySchema(event.schemaPath(), example).valid()).isTrue();
        assertThat(byRecord(record, example).valid()).isTrue();
        assertThat(bySchema(event.schemaPath(), NODES.objectNode()).valid()).isFalse();
        assertThat(byRecord(record, NODES.objectNode()).valid()).isFalse();
    }

    private static Verdict bySchema(String schemaPath, JsonNode payload) {
        List<Error> errors = CATALOG.validateRaw(schemaPath, payload);
        return new Verdict(errors.isEmpty(), errors.isEmpty() ? "valid" : errors.toString());
    }

    private static Verdict byRecord(Class<?> record, JsonNode payload) {
        Object value;
        try {
            value = JSON.readValue(JSON.writeValueAsString(payload), record);
        } catch (JsonProcessingException e) {
            return new Verdict(false, "Jackson: " + e.getOriginalMessage());
        }
        List<Violation> violations = VALIDATOR.validate(value);
        return new Verdict(violations.isEmpty(), violations.isEmpty() ? "valid" : violations.toString());
    }

    // ---------------------------------------------------------------- mutations

    /** Emits mutants of {@code root} that change the object at {@code pointer}, described by {@code schemaNode}. */
    private static void mutate(JsonNode root, String pointer, String file, JsonNode schemaNode, Consumer<Mutant> out) {
        SchemaCatalog.Located located = CATALOG.resolve(file, schemaNode);
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
            String p = pointer + "/" + name.replace("~", "~0").replace("/", "~1");
            SchemaCatalog.Located ps = CATALOG.resolve(located.file(), property.getValue());
            JsonNode value = instance.get(name);
            if (value == null) {
                continue;
            }
            out.accept(new Mutant((required.contains(name) ? "required" : "optional") + " property dropped: "
                    + at(p), remove(root, p)));
            values(root, p, ps, value, out);
            if (value.isObject()) {
                mutate(root, p, ps.file(), ps.node(), out);
            } else if (value.isArray() && !value.isEmpty() && ps.node().has("items")) {
                mutate(root, p + "/0", ps.file(), ps.node().get("items"), out);
                SchemaCatalog.Located items = CATALOG.resolve(ps.file(), ps.node().get("items"));
                values(root, p + "/0", items, value.get(0), out);
            } else if (value.isObject() || ps.node().path("additionalProperties").isObject()) {
                mutate(root, p, ps.file(), ps.node(), out);
            }
            if (value.isObject() && ps.node().path("additionalProperties").isObject() && !value.isEmpty()) {
                String key = value.fieldNames().next();
                SchemaCatalog.Located entry = CATALOG.resolve(ps.file(), ps.node().get("additionalProperties"));
                values(root, p + "/" + key.replace("~", "~0").replace("/", "~1"), entry, value.get(key), out);
            }
        }
    }

    /** Mutants that replace the value at {@code p} (schema {@code ps}) with values that break or meet its rules. */
    private static void values(JsonNode root, String p, SchemaCatalog.Located ps, JsonNode value, Consumer<Mutant> out) {
        JsonNode s = ps.node();
        String type = s.path("type").isTextual() ? s.get("type").asText()
                : s.has("enum") ? "string" : s.has("properties") ? "object" : "";
        switch (type) {
            case "string" -> {
                out.accept(new Mutant("wrong type (number for string) at " + at(p), set(root, p, NODES.numberNode(12345))));
                out.accept(new Mutant("wrong type (boolean for string) at " + at(p), set(root, p, NODES.booleanNode(true))));
                if (s.has("enum")) {
                    out.accept(new Mutant("unknown enum value at " + at(p), set(root, p, NODES.textNode("not-a-known-value"))));
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
                }
                if (s.has("maxLength")) {
                    int max = s.get("maxLength").asInt();
                    out.accept(new Mutant("maxLength exceeded at " + at(p), set(root, p, NODES.textNode(stretch(value, max + 1)))));
                    out.accept(new Mutant("maxLength met at " + at(p), set(root, p, NODES.textNode(stretch(value, max)))));
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
                bound(root, p, s, "exclusiveMinimum", BigDecimal.ZERO, false, out);
                bound(root, p, s, "exclusiveMaximum", BigDecimal.ZERO, false, out);
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
        out.accept(new Mutant(keyword + " " + (inclusive ? "met exactly" : "hit") + " at " + at(p),
                set(root, p, NODES.numberNode(limit))));
        if (inclusive) {
            out.accept(new Mutant(keyword + " exceeded at " + at(p), set(root, p, NODES.numberNode(limit.add(beyond)))));
        }
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
}
