package dev.herald.schema.importer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.herald.schema.EventDef;
import dev.herald.schema.Registry;
import dev.herald.schema.RegistryLoader;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A draft-04/07 tree referencing by $id becomes a registry the loader accepts, and the report says what changed. */
class SchemaImporterTest {

    @TempDir
    Path tmp;

    static Path tree() throws URISyntaxException {
        return Path.of(SchemaImporterTest.class.getClassLoader().getResource("import-tree").toURI());
    }

    @Test
    void aTreeReferencingById() throws Exception {
        Path target = tmp.resolve("schemas");
        SchemaImporter.Report report = SchemaImporter.run(new SchemaImporter.Request(tree(), "events", "issue-tracker", "tracker",
                "com.example.tracker", target));

        Registry registry = RegistryLoader.load(target);
        assertThat(registry.events()).extracting(EventDef::name).containsExactly("issues.closed", "issues.opened");
        assertThat(registry.types()).extracting(t -> t.name()).containsExactly("money", "user");
        assertThat(registry.events()).allSatisfy(e -> assertThat(e.owner()).isEqualTo("issue-tracker"));

        JsonNode opened = new ObjectMapper().readTree(target.resolve("events/issues.opened/v1.json").toFile());
        assertThat(opened.path("$schema").asText()).isEqualTo("https://json-schema.org/draft/2020-12/schema");
        assertThat(opened.has("$id")).isFalse();
        assertThat(opened.at("/properties/sender/$ref").asText()).isEqualTo("../../types/user.json");
        assertThat(opened.at("/properties/plan/$ref").asText()).isEqualTo("../../types/user.json#/$defs/plan");
        assertThat(opened.at("/properties/issue/properties/labels/items/$ref").asText()).isEqualTo("#/$defs/label");
        JsonNode money = new ObjectMapper().readTree(target.resolve("types/money.json").toFile());
        assertThat(money.at("/properties/amount/exclusiveMinimum").asInt()).as("draft-04's boolean form").isZero();
        assertThat(money.at("/properties/amount").has("minimum")).isFalse();

        assertThat(report.describe()).contains("events/issues/opened.schema.json -> events/issues.opened/v1.json")
                .contains("$ref https://example.com/schemas/common/user.json -> ../../types/user.json")
                .contains("definitions -> $defs").contains("boolean exclusiveMinimum -> number").contains("x-owner issue-tracker added");
        assertThat(report.changes()).isGreaterThan(10);
    }

    @Test
    void refusesANonEmptyTargetAndABadOwner() throws Exception {
        Path target = Files.createDirectories(tmp.resolve("full"));
        Files.writeString(target.resolve("keep.txt"), "mine");
        assertThatThrownBy(() -> SchemaImporter.run(new SchemaImporter.Request(tree(), "events", "svc", "t", "com.example", target)))
                .hasMessageContaining("is not empty");
        assertThatThrownBy(() -> SchemaImporter.run(new SchemaImporter.Request(tree(), "events", "Bad Owner", "t", "com.example",
                tmp.resolve("x")))).hasMessageContaining("not a service name");
    }

    @Test
    void aTreeWithEventsAtItsRootAndTypesInOneFolderReferencingFromTheRoot() throws Exception {
        // octokit/webhooks' layout: <event>/<action>.schema.json, shared types in common/, $refs relative to the root
        Path tree = tmp.resolve("tree");
        Files.createDirectories(tree.resolve("issues"));
        Files.createDirectories(tree.resolve("common"));
        Files.writeString(tree.resolve("common/user.schema.json"),
                "{\"$schema\": \"http://json-schema.org/draft-07/schema\", \"type\": \"object\", \"required\": [\"id\"],"
                        + " \"properties\": {\"id\": {\"type\": \"integer\"}}, \"tsAdditionalProperties\": false}");
        Files.writeString(tree.resolve("issues/opened.schema.json"),
                "{\"$schema\": \"http://json-schema.org/draft-07/schema\", \"$id\": \"issues$opened\", \"type\": \"object\","
                        + " \"properties\": {\"sender\": {\"$ref\": \"common/user.schema.json\"}}}");
        Path target = tmp.resolve("schemas");
        SchemaImporter.Report report = SchemaImporter.run(new SchemaImporter.Request(tree, "", "common", "github", "gh",
                "com.example.gh", target));

        Registry registry = RegistryLoader.load(target);
        assertThat(registry.events()).extracting(EventDef::name).containsExactly("issues.opened");
        assertThat(registry.types()).extracting(t -> t.name()).containsExactly("user");
        assertThat(registry.annotationKeywords()).containsExactly("tsAdditionalProperties");
        assertThat(new ObjectMapper().readTree(target.resolve("events/issues.opened/v1.json").toFile()).at("/properties/sender/$ref").asText())
                .isEqualTo("../../types/user.json");
        assertThat(report.describe()).contains("tsAdditionalProperties (1 uses)");
    }

    @Test
    void aFileThatIsNotJsonIsNamedWithItsLine() throws Exception {
        Path tree = Files.createDirectories(tmp.resolve("broken/events/a"));
        Files.writeString(tree.resolve("b.json"), "{\"type\": \"object\",\n  \"properties\": {,}}");
        assertThatThrownBy(() -> SchemaImporter.run(new SchemaImporter.Request(tmp.resolve("broken"), "events", "svc", "t", "com.example",
                tmp.resolve("out")))).hasMessageContaining("events/a/b.json is not JSON (line 2");
        assertThatThrownBy(() -> SchemaImporter.run(new SchemaImporter.Request(tmp.resolve("nowhere"), "events", "svc", "t", "com.example",
                tmp.resolve("out")))).hasMessageContaining("no folder");
    }
}
