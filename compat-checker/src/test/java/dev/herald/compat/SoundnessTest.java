package dev.herald.compat;

import dev.herald.compat.diff.SchemaDiff;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The verdicts checked against real validation: whenever the engine calls a change BACKWARD
 * compatible, no sample instance valid under the old schema may be invalid under the new one (and
 * the mirror for FORWARD). Instances are built from the values and property names found in each
 * pair of schemas, and validated with networknt's JSON Schema validator. Strict policy (pure set
 * semantics); the Apicurio corpus and the project's rule examples as schemas.
 */
class SoundnessTest {

    static final JsonNodeFactory F = JsonNodeFactory.instance;
    static final SchemaRegistry DRAFT7 = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_7);
    static final SchemaRegistry DRAFT2020 = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);

    @Test
    void compatibleVerdictsHaveNoCounterexample() throws IOException {
        List<JsonNode[]> pairs = new ArrayList<>();
        for (JsonNode t : ApicurioCorpusTest.cases()) {
            pairs.add(new JsonNode[] {t.get("original"), t.get("updated")});
        }
        for (RuleExamplesTest.Example e : RuleExamplesTest.examples()) {
            pairs.add(new JsonNode[] {e.oldSchema(), e.newSchema()});
        }
        for (GateCasesTest.Case c : GateCasesTest.cases()) {
            pairs.add(new JsonNode[] {c.oldSchema(), c.newSchema()});
        }
        List<String> counterexamples = new ArrayList<>();
        int checkedClaims = 0;
        int fullyCompatible = 0;
        int breakClaims = 0;
        int confirmed = 0;
        for (JsonNode[] p : pairs) {
            if (!p[0].isObject() || !p[1].isObject()) {
                continue;
            }
            Verdict v = Verdict.of(SchemaDiff.diff(new JsonSource("old", p[0]), new JsonSource("new", p[1]), Policy.STRICT).stream()
                    .filter(c -> c.rule() != Rule.RESERVED_NAME_DROPPED && c.rule() != Rule.RESERVED_NAME_REUSED).toList());
            if (v.backward() && v.forward()) {
                fullyCompatible++;
            }
            Schema oldSchema;
            Schema newSchema;
            try {
                oldSchema = schema(p[0]);
                newSchema = schema(p[1]);
            } catch (RuntimeException e) {
                continue; // the validator cannot load it (e.g. draft-04 "id"); nothing to compare against
            }
            boolean witnessBackward = false;
            boolean witnessForward = false;
            for (JsonNode instance : instances(p[0], p[1])) {
                boolean inOld;
                boolean inNew;
                try {
                    inOld = oldSchema.validate(instance).isEmpty();
                    inNew = newSchema.validate(instance).isEmpty();
                } catch (RuntimeException e) {
                    continue;
                }
                witnessBackward |= inOld && !inNew;
                witnessForward |= inNew && !inOld;
                if (v.backward() && inOld && !inNew) {
                    counterexamples.add("claimed BACKWARD: " + p[0] + " -> " + p[1] + " but " + instance + " is valid only under the old schema");
                }
                if (v.forward() && inNew && !inOld) {
                    counterexamples.add("claimed FORWARD: " + p[0] + " -> " + p[1] + " but " + instance + " is valid only under the new schema");
                }
            }
            checkedClaims++;
            // the other way round: how many "breaks" claims a sample value confirms (the rest are
            // conservative calls the samples could not confirm, e.g. a changed pattern)
            if (!v.backward()) {
                breakClaims++;
                confirmed += witnessBackward ? 1 : 0;
                if (!witnessBackward && Boolean.getBoolean("herald.printUnconfirmed")) {
                    System.out.println("unconfirmed backward break: " + p[0] + " -> " + p[1]);
                }
            }
            if (!v.forward()) {
                breakClaims++;
                confirmed += witnessForward ? 1 : 0;
                if (!witnessForward && Boolean.getBoolean("herald.printUnconfirmed")) {
                    System.out.println("unconfirmed forward break: " + p[0] + " -> " + p[1]);
                }
            }
        }
        System.out.printf("soundness: %d schema pairs checked, %d fully compatible; %d of %d 'breaks' claims confirmed by a sample value%n",
                checkedClaims, fullyCompatible, confirmed, breakClaims);
        assertThat(checkedClaims).isGreaterThan(100);
        assertThat(counterexamples).as(String.join("\n", counterexamples)).isEmpty();
    }

    static Schema schema(JsonNode s) {
        String dialect = s.path("$schema").asText("");
        return (dialect.contains("draft-07") || dialect.contains("draft-04") || usesDraft7Keywords(s) ? DRAFT7 : DRAFT2020).getSchema(s);
    }

    static boolean usesDraft7Keywords(JsonNode s) {
        return s.toString().contains("\"additionalItems\"") || s.toString().contains("\"definitions\"") || s.toString().contains("\"dependencies\"");
    }

    /** Candidate instances from everything the two schemas mention. */
    static Set<JsonNode> instances(JsonNode a, JsonNode b) {
        Set<JsonNode> scalars = new LinkedHashSet<>();
        for (Object o : new Object[] {null, true, false, 0, 1, 3, 5, 6, 7, 9, 10, 11, 12, 13, 15, 20, 30, 42, 50, 100, 101, 150, 200, 1000, -1, 1.5, 10.5,
                "", "a", "ab", "abcde", "abcdefghij", "abcdefghijklmnopqrst", "ABC", "Abc", "2026-01-01", "2026-01-01T10:00:00Z", "\u03c0",
                "x@example.com", "SKU-12345"}) {
            scalars.add(Json.MAPPER.valueToTree(o));
        }
        Set<String> names = new LinkedHashSet<>(List.of("S_x", "I_x", "other"));
        collect(a, scalars, names);
        collect(b, scalars, names);
        Set<JsonNode> out = new LinkedHashSet<>(scalars);
        List<JsonNode> small = new ArrayList<>(scalars);
        // arrays
        out.add(F.arrayNode());
        for (JsonNode x : small) {
            out.add(F.arrayNode().add(x));
            out.add(F.arrayNode().add(x).add(x));
        }
        for (JsonNode x : small) {
            for (JsonNode y : List.of(F.textNode("s"), F.numberNode(1), F.booleanNode(true), F.numberNode(20))) {
                out.add(F.arrayNode().add(x).add(y));
                out.add(F.arrayNode().add(y).add(x));
                out.add(F.arrayNode().add(F.textNode("s")).add(y).add(x));
            }
        }
        ArrayNode many = F.arrayNode();
        for (int i = 0; i < 12; i++) {
            many.add(i);
        }
        out.add(many);
        // objects
        out.add(F.objectNode());
        List<String> nameList = new ArrayList<>(names);
        for (String n : nameList) {
            for (JsonNode x : small) {
                out.add(F.objectNode().set(n, x));
            }
        }
        for (int i = 0; i < nameList.size(); i++) {
            for (int j = i + 1; j < nameList.size(); j++) {
                for (JsonNode x : List.of(F.textNode("abc"), F.numberNode(1), F.textNode("lower"), F.textNode("upper"), F.textNode("ABC"))) {
                    ObjectNode o = F.objectNode();
                    o.set(nameList.get(i), x);
                    o.set(nameList.get(j), x);
                    out.add(o);
                }
            }
        }
        for (JsonNode x : List.of(F.textNode("abcdefghijk"), F.numberNode(12), F.textNode("abc"))) {
            ObjectNode all = F.objectNode();
            nameList.forEach(n -> all.set(n, x));
            out.add(all);
        }
        return out;
    }

    static void collect(JsonNode node, Set<JsonNode> values, Set<String> names) {
        if (node.isObject()) {
            for (Map.Entry<String, JsonNode> e : node.properties()) {
                switch (e.getKey()) {
                    case "properties", "dependencies", "dependentRequired", "dependentSchemas" -> e.getValue().fieldNames().forEachRemaining(names::add);
                    case "required" -> e.getValue().forEach(n -> names.add(n.asText()));
                    case "enum" -> e.getValue().forEach(values::add);
                    case "const" -> values.add(e.getValue());
                    default -> { }
                }
                if (e.getValue().isArray() && (e.getKey().equals("dependencies") || e.getKey().equals("dependentRequired"))) {
                    e.getValue().forEach(n -> names.add(n.asText()));
                }
                collect(e.getValue(), values, names);
            }
            node.path("dependencies").forEach(d -> d.forEach(n -> {
                if (n.isTextual()) {
                    names.add(n.asText());
                }
            }));
        } else if (node.isArray()) {
            node.forEach(c -> collect(c, values, names));
        }
    }
}
