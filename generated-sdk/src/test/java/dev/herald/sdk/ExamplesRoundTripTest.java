package dev.herald.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.herald.runtime.validation.AgreementHarness;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * For every event of {@code ../schemas}: each {@code examples} payload reads into the generated
 * record, validates, and writes back as equal JSON (with the schema's defaults filled in, which
 * the record applies to absent optional values).
 */
class ExamplesRoundTripTest {

    private static final AgreementHarness HARNESS = new AgreementHarness(ExamplesRoundTripTest.class.getClassLoader());
    private static final ObjectMapper JSON = HARNESS.json();

    @AfterAll
    static void close() {
        HARNESS.close();
    }

    static List<AgreementHarness.Event> events() {
        return HARNESS.events();
    }

    @Test
    void theCatalogHasEveryEventOfTheRegistryFolder() throws IOException {
        Set<String> folders = new HashSet<>();
        try (Stream<Path> dirs = Files.list(Path.of("..", "schemas", "events"))) {
            dirs.filter(Files::isDirectory).forEach(d -> folders.add(d.getFileName().toString()));
        }
        assertThat(folders).isNotEmpty();
        assertThat(events()).extracting(AgreementHarness.Event::name).containsExactlyInAnyOrderElementsOf(folders);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("events")
    void everyExampleRoundTrips(AgreementHarness.Event event) throws Exception {
        JsonNode schema = HARNESS.document(event.schemaPath());
        JsonNode examples = schema.get("examples");
        assertThat(examples).as("every event documents at least one example payload").isNotNull();
        assertThat(examples.size()).isPositive();
        Class<?> record = HARNESS.recordClass(event);
        for (JsonNode example : examples) {
            assertThat(HARNESS.validateRaw(event.schemaPath(), example)).as("the example is valid by its schema")
                    .isEmpty();

            Object value = JSON.treeToValue(example, record);

            assertThat(HARNESS.validator().validate(value)).as("violations of %s", example).isEmpty();
            JsonNode written = JSON.readTree(JSON.writeValueAsString(value));
            JsonNode expected = HARNESS.withDefaults(example.deepCopy(), event.schemaPath(), schema);
            assertThat(written).as("%s written back", example).isEqualTo(expected);
            assertThat(JSON.treeToValue(written, record)).isEqualTo(value);
        }
    }
}
