package dev.herald.compat;

import dev.herald.compat.diff.SchemaDiff;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * External conformance: Apicurio Registry's 145 labelled JSON Schema compatibility cases, judged
 * under the strict policy. The data is a test resource, {@code src/test/resources/apicurio/}, with its
 * licence and provenance beside it.
 *
 * <p>Every disagreement is listed here and explained in docs/compatibility.md ("Apicurio corpus").
 */
class ApicurioCorpusTest {

    /**
     * Every case where Herald's verdict differs, on purpose: case index (0-based, in file order) and
     * id, with a value that proves Herald right (valid under the original schema, rejected by the
     * updated one, although the corpus calls the change backward compatible). See
     * docs/compatibility.md, "External conformance".
     */
    static final Map<String, String> EXPECTED_DISAGREEMENTS = Map.of(
            // oneOf[string, maxLength 5] -> oneOf[string, maxLength 10]: a 10-character string matched
            // one branch before and matches two now, which oneOf rejects
            "117:Complex: oneOf 1", "\"abcdefghij\"",
            // oneOf[string] -> oneOf[string, maxLength 5]: "a" matched one branch and now matches two
            "119:Complex: oneOf 3", "\"a\"");

    /**
     * Cases the corpus calls breaking where Herald proves the change compatible: the two schemas
     * accept exactly the same values. Each carries values both accept, one from each side's
     * vocabulary, checked below; SoundnessTest checks that no value refutes the verdict.
     */
    static final Map<String, List<String>> EXPECTED_COMPATIBLE = Map.of(
            // "[a-z]*" -> "[A-Z]*": both are unanchored and match the empty substring of any string,
            // so both accept every string; the pattern change changes nothing
            "11:String: pattern 2", List.of("\"\"", "\"abc\"", "\"ABC\"", "\"1!\""));

    static final String RESOURCE = "/apicurio/compatibility-test-data.json";

    /** The corpus's {@code tests} array, read from the test class path. */
    static JsonNode cases() throws IOException {
        try (InputStream in = ApicurioCorpusTest.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("test resource " + RESOURCE + " is missing from compat-checker/src/test/resources");
            }
            return Json.MAPPER.readTree(in).get("tests");
        }
    }

    static String verdict(Verdict v) {
        return v.backward() && v.forward() ? "both" : v.backward() ? "backward" : v.forward() ? "forward" : "none";
    }

    @Test
    void strictPolicyAgreesWithApicurioOnAtLeast95PercentAndOnlyDisagreesWhereDocumented() throws IOException {
        JsonNode tests = cases();
        assertThat(tests.size()).as("cases in the corpus").isEqualTo(145);
        int agree = 0;
        Set<String> disagreements = new TreeSet<>();
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < tests.size(); i++) {
            JsonNode t = tests.get(i);
            String expected = t.get("compatibility").asText();
            List<Change> changes = SchemaDiff.diff(new JsonSource("original", t.get("original")), new JsonSource("updated", t.get("updated")), Policy.STRICT);
            String actual = verdict(Verdict.of(changes));
            // Apicurio labels only backward/both/none: a forward-only change is "none" to it
            String comparable = actual.equals("forward") ? "none" : actual;
            boolean ok = comparable.equals(expected);
            String key = i + ":" + t.get("id").asText();
            if (ok) {
                agree++;
            } else {
                disagreements.add(key);
            }
            lines.add(String.format("%-4s %-60s expected %-8s herald %-8s %s%s", ok ? "ok" : "DIFF", key, expected, actual,
                    changes.stream().map(c -> c.rule() + "@" + c.path() + "(" + c.breaksText() + ")").toList(), ""));
        }
        double pct = 100.0 * agree / tests.size();
        System.out.println("Apicurio corpus (strict policy): " + agree + "/" + tests.size() + String.format(" = %.1f%%", pct));
        lines.forEach(System.out::println);
        assertThat(pct).as("agreement with Apicurio").isGreaterThanOrEqualTo(95.0);
        Set<String> documented = new TreeSet<>(EXPECTED_DISAGREEMENTS.keySet());
        documented.addAll(EXPECTED_COMPATIBLE.keySet());
        assertThat(disagreements).as("disagreements (each must be documented in docs/compatibility.md)")
                .containsExactlyInAnyOrderElementsOf(documented);
        for (Map.Entry<String, List<String>> e : EXPECTED_COMPATIBLE.entrySet()) {
            JsonNode t = tests.get(Integer.parseInt(e.getKey().substring(0, e.getKey().indexOf(':'))));
            for (String v : e.getValue()) {
                JsonNode value = Json.MAPPER.readTree(v);
                assertThat(SoundnessTest.schema(t.get("original")).validate(value)).as(e.getKey() + ": the original accepts " + value).isEmpty();
                assertThat(SoundnessTest.schema(t.get("updated")).validate(value)).as(e.getKey() + ": the updated accepts " + value).isEmpty();
            }
        }
        // each documented disagreement carries its proof: a value the original accepts and the updated schema rejects
        for (Map.Entry<String, String> e : EXPECTED_DISAGREEMENTS.entrySet()) {
            JsonNode t = tests.get(Integer.parseInt(e.getKey().substring(0, e.getKey().indexOf(':'))));
            JsonNode value = Json.MAPPER.readTree(e.getValue());
            assertThat(SoundnessTest.schema(t.get("original")).validate(value)).as(e.getKey() + ": the original accepts " + value).isEmpty();
            assertThat(SoundnessTest.schema(t.get("updated")).validate(value)).as(e.getKey() + ": the updated schema rejects " + value).isNotEmpty();
        }
    }
}
