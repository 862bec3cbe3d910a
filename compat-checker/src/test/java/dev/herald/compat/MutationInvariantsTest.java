package dev.herald.compat;

import dev.herald.compat.diff.SchemaDiff;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Random edits (1,000 rounds, fixed seed, so reproducible) of this repository's event schemas, with $refs
 * inlined: under the strict policy the verdict of old→new must mirror the verdict of new→old, and
 * the engine must never throw.
 */
class MutationInvariantsTest {

    static final String[] KEYWORDS = {"maxLength", "minLength", "minimum", "maximum", "maxItems", "minItems"};

    @Test
    void strictVerdictsAreSymmetricUnderRandomEdits() throws IOException {
        Path module = Path.of("").toAbsolutePath();
        Path repo = Files.exists(module.resolve("mvnw")) ? module : module.getParent();
        List<JsonNode> schemas = new ArrayList<>();
        try (Stream<Path> files = Files.walk(repo.resolve("schemas/events"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".json")).sorted().toList()) {
                JsonNode s = Json.MAPPER.readTree(f.toFile());
                stripRefs(s);
                schemas.add(s);
            }
        }
        assertThat(schemas).isNotEmpty();
        Random random = new Random(20261122);
        int checked = 0;
        for (int round = 0; round < 1000; round++) {
            JsonNode base = schemas.get(random.nextInt(schemas.size()));
            JsonNode a = base.deepCopy();
            JsonNode b = base.deepCopy();
            for (int k = 0; k < 1 + random.nextInt(3); k++) {
                mutate(random.nextBoolean() ? a : b, random);
            }
            Verdict forth = Verdict.of(strip(SchemaDiff.diff(new JsonSource("a", a), new JsonSource("b", b), Policy.STRICT)));
            Verdict back = Verdict.of(strip(SchemaDiff.diff(new JsonSource("b", b), new JsonSource("a", a), Policy.STRICT)));
            assertThat(new boolean[] {back.backward(), back.forward()}).as("round %d\nold %s\nnew %s", round, a, b)
                    .containsExactly(forth.forward(), forth.backward());
            SchemaDiff.diff(new JsonSource("a", a), new JsonSource("b", b), Policy.ROBUST);
            checked++;
        }
        assertThat(checked).isEqualTo(1000);
    }

    private static List<Change> strip(List<Change> changes) {
        return changes.stream().filter(c -> c.rule() != Rule.RESERVED_NAME_DROPPED && c.rule() != Rule.RESERVED_NAME_REUSED).toList();
    }

    /** Replaces every $ref by a plain object (the corpus of shapes matters, not the referenced type). */
    private static void stripRefs(JsonNode node) {
        if (node.isObject()) {
            ObjectNode o = (ObjectNode) node;
            if (o.has("$ref")) {
                o.remove("$ref");
                o.put("type", "object");
            }
            o.remove("examples");
            for (JsonNode c : o) {
                stripRefs(c);
            }
        } else if (node.isArray()) {
            for (JsonNode c : node) {
                stripRefs(c);
            }
        }
    }

    private static List<ObjectNode> objects(JsonNode node, List<ObjectNode> into) {
        if (node.isObject()) {
            into.add((ObjectNode) node);
            for (JsonNode c : node) {
                objects(c, into);
            }
        } else if (node.isArray()) {
            for (JsonNode c : node) {
                objects(c, into);
            }
        }
        return into;
    }

    private static void mutate(JsonNode root, Random random) {
        List<ObjectNode> all = objects(root, new ArrayList<>());
        ObjectNode target = all.get(random.nextInt(all.size()));
        switch (random.nextInt(8)) {
            case 0 -> target.put(KEYWORDS[random.nextInt(KEYWORDS.length)], random.nextInt(50));
            case 1 -> {
                Iterator<String> names = target.fieldNames();
                List<String> keys = new ArrayList<>();
                names.forEachRemaining(keys::add);
                if (!keys.isEmpty()) {
                    target.remove(keys.get(random.nextInt(keys.size())));
                }
            }
            case 2 -> target.put("type", new String[] {"string", "integer", "number", "object", "array", "boolean"}[random.nextInt(6)]);
            case 3 -> {
                ObjectNode props = target.has("properties") && target.get("properties").isObject()
                        ? (ObjectNode) target.get("properties") : target.putObject("properties");
                props.putObject("p" + random.nextInt(4)).put("type", random.nextBoolean() ? "string" : "integer");
            }
            case 4 -> {
                ArrayNode req = target.has("required") && target.get("required").isArray()
                        ? (ArrayNode) target.get("required") : target.putArray("required");
                req.add("p" + random.nextInt(4));
            }
            case 5 -> target.put("additionalProperties", random.nextBoolean());
            case 6 -> {
                ArrayNode e = target.putArray("enum");
                for (int i = 0; i < 1 + random.nextInt(3); i++) {
                    e.add("v" + random.nextInt(4));
                }
            }
            default -> target.put("pattern", "^[a-" + (char) ('c' + random.nextInt(3)) + "]+$");
        }
    }
}
