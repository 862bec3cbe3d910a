package dev.herald.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.herald.runtime.validation.EventValidator;
import dev.herald.runtime.validation.StrictJson;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
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

    private static final SchemaCatalog CATALOG = SchemaCatalog.INSTANCE;
    private static final ObjectMapper JSON = StrictJson.mapper();
    private static final EventValidator VALIDATOR = EventValidator.create(JSON);

    @AfterAll
    static void close() {
        VALIDATOR.close();
    }

    static List<SchemaCatalog.Event> events() {
        return CATALOG.events();
    }

    @Test
    void theCatalogHasEveryEventOfTheRegistryFolder() throws IOException {
        Set<String> folders = new HashSet<>();
        try (Stream<Path> dirs = Files.list(Path.of("..", "schemas", "events"))) {
            dirs.filter(Files::isDirectory).forEach(d -> folders.add(d.getFileName().toString()));
        }
        assertThat(folders).isNotEmpty();
        assertThat(events()).extracting(SchemaCatalog.Event::name).containsExactlyInAnyOrderElementsOf(folders);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("events")
    void everyExampleRoundTrips(SchemaCatalog.Event event) throws Exception {
        JsonNode schema = CATALOG.document(event.schemaPath());
        JsonNode examples = schema.get("examples");
        assertThat(examples).as("every event documents at least one example payload").isNotNull();
        assertThat(examples.size()).isPositive();
        Class<?> record = Class.forName(event.javaClass());
        for (JsonNode example : examples) {
            assertThat(CATALOG.validateRaw(event.schemaPath(), example)).as("the example is valid by its schema")
                    .isEmpty();

            Object value = JSON.treeToValue(example, record);

            assertThat(VALIDATOR.validate(value)).as("violations of %s", example).isEmpty();
            JsonNode written = JSON.readTree(JSON.writeValueAsString(value));
            JsonNode expected = withDefaults(example.deepCopy(), event.schemaPath(), schema);
            assertThat(written).as("%s written back", example).isEqualTo(expected);
            assertThat(JSON.treeToValue(written, record)).isEqualTo(value);
        }
    }

    /** Adds each absent optional property that has a {@code default}, recursively. */
    private static JsonNode withDefaults(JsonNode instance, String file, JsonNode schemaNode) {
        SchemaCatalog.Located schema = CATALOG.resolve(file, schemaNode);
        JsonNode s = schema.node();
        if (instance.isObject() && s.has("properties")) {
            ObjectNode object = (ObjectNode) instance;
            for (Map.Entry<String, JsonNode> property : s.get("properties").properties()) {
                SchemaCatalog.Located p = CATALOG.resolve(schema.file(), property.getValue());
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
}
