package dev.herald.codegen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.herald.schema.RegistryException;
import java.io.IOException;
import java.net.URLClassLoader;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** $refs across files: each definition is generated once, where it lives, whatever refers to it first. */
class ReferencesTest {

    @TempDir
    Path tmp;

    private Path registry() {
        Path root = tmp.resolve("schemas");
        Fixtures.write(root.resolve("registry.json"),
                "{\"namespace\": \"e\", \"javaPackage\": \"com.example.refs\", \"services\": {\"svc\": {}}}");
        Fixtures.write(root.resolve("types/common.json"), """
                {"$defs": {
                  "point": {"type": "object", "required": ["x"], "properties": {"x": {"type": "integer"}}},
                  "color": {"type": "string", "enum": ["red", "blue"]}}}
                """);
        Fixtures.write(root.resolve("events/a.happened/v1.json"), """
                {"x-owner": "svc", "type": "object", "properties": {
                  "where": {"$ref": "../../types/common.json#/$defs/point"},
                  "color": {"$ref": "../../types/common.json#/$defs/color", "default": "blue"},
                  "tree": {"$ref": "#/$defs/node"},
                  "other": {"$ref": "../b.happened/v1.json#/$defs/thing"}},
                 "$defs": {"node": {"type": "object", "properties": {
                   "name": {"type": "string"}, "children": {"type": "array", "items": {"$ref": "#/$defs/node"}}}}}}
                """);
        Fixtures.write(root.resolve("events/b.happened/v1.json"), """
                {"x-owner": "svc", "type": "object", "properties": {"thing": {"$ref": "#/$defs/thing"}},
                 "$defs": {"thing": {"type": "object", "properties": {"id": {"type": "string"}}}}}
                """);
        return root;
    }

    @Test
    void definitionsAreGeneratedOnceWhereTheyLive() throws IOException {
        GeneratedSources out = CodeGenerator.generate(registry(), GeneratorOptions.defaults());

        assertThat(out.sources().keySet()).containsExactly("com/example/refs/AHappened.java",
                "com/example/refs/BHappened.java", "com/example/refs/Color.java", "com/example/refs/EventType.java",
                "com/example/refs/Point.java", "com/example/refs/ServiceName.java");
        String b = out.source("com/example/refs/BHappened.java");
        assertThat(b.split("public record Thing\\(", -1)).hasSize(2);
        assertThat(b).doesNotContain("ThingType");
        String a = out.source("com/example/refs/AHappened.java");
        assertThat(a).contains("BHappened.Thing other").contains("AHappened.Node tree")
                .contains("List<@NotNull @Valid Node> children").contains("color = Color.BLUE;");
        try (URLClassLoader loader = InProcessCompiler.compile(out, tmp.resolve("compiled"))) {
            assertThat(loader.loadClass("com.example.refs.AHappened$Node").isRecord()).isTrue();
        } catch (ClassNotFoundException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void aRefToAFileThatOnlyHoldsDefinitionsIsAProblem() {
        Path root = registry();
        Fixtures.write(root.resolve("events/c.happened/v1.json"), """
                {"x-owner": "svc", "type": "object", "properties": {"p": {"$ref": "../../types/common.json"}}}
                """);

        RegistryException e = catchThrowableOfType(RegistryException.class,
                () -> CodeGenerator.generate(root, GeneratorOptions.defaults()));

        assertThat(e.problems()).singleElement().satisfies(p -> {
            assertThat(p.location().pointer()).isEqualTo("/properties/p/$ref");
            assertThat(p.message()).contains("only holds $defs");
        });
    }
}
