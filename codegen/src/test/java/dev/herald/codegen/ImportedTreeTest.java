package dev.herald.codegen;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.runtime.validation.EventValidator;
import dev.herald.runtime.validation.StrictJson;
import dev.herald.schema.importer.SchemaImporter;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A draft-04/07 tree, imported, generates records that compile, read its example, validate and write it back. */
class ImportedTreeTest {

    @TempDir
    Path tmp;

    @Test
    void anImportedTreeGeneratesCompilesAndReadsItsExample() throws Exception {
        Path tree = Fixtures.moduleDir().getParent().resolve("schema-model/src/test/resources/import-tree");
        Path schemas = tmp.resolve("schemas");
        SchemaImporter.run(new SchemaImporter.Request(tree, "events", "tracker", "tracker", "com.example.tracker", schemas));

        try (URLClassLoader loader = InProcessCompiler.compile(CodeGenerator.generate(schemas, GeneratorOptions.defaults()),
                Files.createDirectories(tmp.resolve("classes")));
             EventValidator validator = EventValidator.create(StrictJson.mapper())) {
            Class<?> opened = loader.loadClass("com.example.tracker.IssuesOpened");
            JsonNode example = StrictJson.mapper().readTree(schemas.resolve("events/issues.opened/v1.json").toFile()).get("examples").get(0);
            Object event = StrictJson.mapper().treeToValue(example, opened);
            assertThat(validator.validate(event)).isEmpty();
            assertThat(StrictJson.mapper().valueToTree(event).toString()).isEqualTo(example.toString());
            assertThat(opened.getMethod("sender").getReturnType().getName()).isEqualTo("com.example.tracker.User");
        }
    }
}
