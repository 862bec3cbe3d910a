package dev.herald.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.herald.runtime.validation.AgreementHarness;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * For every event of {@code ../schemas}, the generated record plus Hibernate Validator must give
 * the same verdict as the JSON Schema (networknt, on the raw JSON): on the examples, and on
 * payloads made from them by mutation — a required property dropped, a pattern broken, a bound
 * exceeded or just met, a wrong JSON type, an unknown enum value, a malformed format, an unknown
 * property added, null and duplicate elements (see {@link AgreementHarness}). Any disagreement
 * fails, with both verdicts and the payload.
 */
class AgreementTest {

    private static final AgreementHarness HARNESS = new AgreementHarness(AgreementTest.class.getClassLoader());

    @AfterAll
    static void close() {
        HARNESS.close();
    }

    static List<AgreementHarness.Event> events() {
        return HARNESS.events();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("events")
    void recordAndSchemaAgreeOnEveryMutation(AgreementHarness.Event event) {
        AgreementHarness.Result result = HARNESS.check(event);
        System.out.println(result);

        assertThat(result.disagreements()).as(result.toString()).isEmpty();
        assertThat(result.invalid()).as("mutations that the schema refuses").isGreaterThanOrEqualTo(5);
        assertThat(result.valid()).as("payloads the schema accepts").isPositive();
        assertThat(result.passedByCompiledChecks()).as("valid payloads decided without Hibernate's reflection").isEqualTo(result.valid());
    }

    @Test
    void theJudgesAreNotTrivial() {
        AgreementHarness.Event event = events().get(0);
        JsonNode example = HARNESS.document(event.schemaPath()).get("examples").get(0);
        Class<?> record = HARNESS.recordClass(event);
        assertThat(HARNESS.bySchema(event.schemaPath(), example).valid()).isTrue();
        assertThat(HARNESS.byRecord(record, example).valid()).isTrue();
        assertThat(HARNESS.bySchema(event.schemaPath(), JsonNodeFactory.instance.objectNode()).valid()).isFalse();
        assertThat(HARNESS.byRecord(record, JsonNodeFactory.instance.objectNode()).valid()).isFalse();
    }
}
