package dev.herald.codegen;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.runtime.validation.AgreementHarness;
import java.io.IOException;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The agreement test of generated-sdk, on the fixture registry, which uses every mapping rule
 * (nullable, exclusive bounds, multipleOf, uniqueItems, maps, additionalProperties: false,
 * unanchored patterns, defaults, recursion): record + validator and networknt must agree on every
 * mutation of every example.
 */
class FixtureAgreementTest {

    private static URLClassLoader loader;
    private static AgreementHarness harness;

    @BeforeAll
    static void compile() throws IOException {
        Path dir = Files.createTempDirectory("herald-agreement");
        loader = InProcessCompiler.compile(
                CodeGenerator.generate(Fixtures.fixtureRegistry(), GeneratorOptions.defaults()), dir);
        harness = new AgreementHarness(loader);
    }

    @AfterAll
    static void close() throws IOException {
        harness.close();
        loader.close();
    }

    @Test
    void recordAndSchemaAgreeOnEveryMutationOfTheFixture() {
        List<AgreementHarness.Event> events = harness.events();
        assertThat(events).extracting(AgreementHarness.Event::name)
                .containsExactly("cart.checked-out", "issue.assigned", "member.added", "profile.updated", "repo.forked", "review.requested", "site.checked", "user.pinged");
        int payloads = 0;
        for (AgreementHarness.Event event : events) {
            AgreementHarness.Result result = harness.check(event);
            System.out.println(result);
            assertThat(result.disagreements()).as(result.toString()).isEmpty();
            assertThat(result.valid()).isPositive();
            assertThat(result.passedByCompiledChecks()).as("valid payloads decided without Hibernate's reflection").isEqualTo(result.valid());
            payloads += result.payloads();
        }
        assertThat(payloads).isGreaterThan(100);
    }

    @Test
    void everyFixtureExampleRoundTripsWithDefaultsFilledIn() throws Exception {
        var json = harness.json();
        int examples = 0;
        for (AgreementHarness.Event event : harness.events()) {
            JsonNode schema = harness.document(event.schemaPath());
            for (JsonNode example : schema.get("examples")) {
                Object value = json.treeToValue(example, harness.recordClass(event));
                assertThat(harness.validator().validate(value)).as("%s", example).isEmpty();
                assertThat(json.readTree(json.writeValueAsString(value)))
                        .isEqualTo(harness.withDefaults(example.deepCopy(), event.schemaPath(), schema));
                examples++;
            }
        }
        assertThat(examples).isEqualTo(11);
    }
}
