package dev.herald.compat;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.compat.diff.SchemaDiff;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Herald's own labelled corpus (src/test/resources/gate-cases.txt): refactors that must pass and
 * changes that must fail, each "breaking" label proven by a witness value the old schema accepts
 * and the new one refuses (validated by networknt, not by Herald). Every case must agree.
 */
class GateCasesTest {

    record Case(int line, String name, boolean compatible, JsonNode oldSchema, JsonNode newSchema, JsonNode witness) {
    }

    static List<Case> cases() throws IOException {
        List<Case> list = new ArrayList<>();
        try (InputStream in = GateCasesTest.class.getResourceAsStream("/gate-cases.txt")) {
            String[] lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n");
            for (int i = 0; i < lines.length; i++) {
                String l = lines[i].strip();
                if (l.isEmpty() || l.startsWith("#")) {
                    continue;
                }
                String[] p = l.split(" \\| ");
                assertThat(p).as("line %d has 5 columns", i + 1).hasSize(5);
                assertThat(p[1]).as("line %d label", i + 1).isIn("compatible", "breaking");
                boolean compatible = p[1].equals("compatible");
                assertThat(p[4].equals("-")).as("line %d: a breaking case has a witness, a compatible one none", i + 1).isEqualTo(compatible);
                list.add(new Case(i + 1, p[0], compatible, json(p[2]), json(p[3]), compatible ? null : json(p[4])));
            }
        }
        return list;
    }

    private static JsonNode json(String s) throws IOException {
        return Json.MAPPER.readTree(s.replace('\'', '"'));
    }

    @Test
    void everyLabelledCaseAgreesAndEveryBreakHasAWitness() throws IOException {
        List<Case> cases = cases();
        List<String> disagreements = new ArrayList<>();
        List<String> badWitnesses = new ArrayList<>();
        for (Case c : cases) {
            if (!c.compatible()) {
                if (!SoundnessTest.schema(c.oldSchema()).validate(c.witness()).isEmpty()) {
                    badWitnesses.add("line " + c.line() + " (" + c.name() + "): the old schema refuses the witness " + c.witness());
                }
                if (SoundnessTest.schema(c.newSchema()).validate(c.witness()).isEmpty()) {
                    badWitnesses.add("line " + c.line() + " (" + c.name() + "): the new schema accepts the witness " + c.witness());
                }
            }
            List<Change> changes = SchemaDiff.diff(new JsonSource("old.json", c.oldSchema()), new JsonSource("new.json", c.newSchema()), Policy.STRICT);
            boolean herald = Verdict.of(changes).backward();
            if (herald != c.compatible()) {
                disagreements.add("line " + c.line() + " (" + c.name() + "): labelled " + (c.compatible() ? "compatible" : "breaking")
                        + ", Herald says " + (herald ? "compatible" : "breaking") + ": " + changes.stream().map(Change::message).toList());
            }
        }
        System.out.printf("gate cases: %d of %d agree%n", cases.size() - disagreements.size(), cases.size());
        assertThat(cases).hasSizeGreaterThan(50);
        assertThat(badWitnesses).as(String.join("\n", badWitnesses)).isEmpty();
        assertThat(disagreements).as(String.join("\n", disagreements)).isEmpty();
    }
}
