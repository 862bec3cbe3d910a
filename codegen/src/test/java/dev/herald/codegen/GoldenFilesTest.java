package dev.herald.codegen;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The generator's output for the fixture registry ({@code src/test/resources/fixture-registry})
 * must equal the reviewed files under {@code src/test/resources/golden}.
 *
 * <p>After an intended change of the output, regenerate the golden files and review the diff:
 * <pre>
 * ./mvnw -pl codegen -am verify -Dherald.updateGolden=true
 * git diff codegen/src/test/resources/golden
 * </pre>
 */
class GoldenFilesTest {

    static final String UPDATE_COMMAND = "./mvnw -pl codegen -am verify -Dherald.updateGolden=true "
            + "(then review git diff of codegen/src/test/resources/golden)";

    private static Map<String, String> actualFiles() {
        GeneratedSources out = CodeGenerator.generate(Fixtures.fixtureRegistry(), GeneratorOptions.defaults());
        Map<String, String> files = new TreeMap<>();
        out.sources().forEach((path, bytes) -> files.put("java/" + path, new String(bytes, StandardCharsets.UTF_8)));
        files.put("resources/" + CatalogWriter.CATALOG,
                new String(out.resources().get(CatalogWriter.CATALOG), StandardCharsets.UTF_8));
        return files;
    }

    private static Path goldenDir() {
        return Fixtures.moduleDir().resolve("src/test/resources/golden");
    }

    @Test
    void generatedFilesMatchTheGoldenFiles() throws IOException {
        Map<String, String> actual = actualFiles();
        Path golden = goldenDir();
        if (Boolean.getBoolean("herald.updateGolden")) {
            if (Files.exists(golden)) {
                try (Stream<Path> walk = Files.walk(golden)) {
                    walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                }
            }
            actual.forEach((path, text) -> Fixtures.write(golden.resolve(path), text));
        }
        Map<String, String> expected = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(golden)) {
            for (Path p : walk.filter(Files::isRegularFile).toList()) {
                expected.put(golden.relativize(p).toString().replace('\\', '/'), Files.readString(p));
            }
        }
        assertThat(actual.keySet())
                .as("generated files vs. golden files; to accept the new output run " + UPDATE_COMMAND)
                .containsExactlyElementsOf(expected.keySet());
        for (Map.Entry<String, String> file : expected.entrySet()) {
            assertThat(actual.get(file.getKey()))
                    .as(file.getKey() + " differs from its golden file; to accept the new output run " + UPDATE_COMMAND)
                    .isEqualTo(file.getValue());
        }
    }

    @Test
    void everySchemaFileIsCopiedIntoTheCatalogByteForByte() throws IOException {
        GeneratedSources out = CodeGenerator.generate(Fixtures.fixtureRegistry(), GeneratorOptions.defaults());
        Path registry = Fixtures.fixtureRegistry();
        List<Path> schemaFiles;
        try (Stream<Path> walk = Files.walk(registry)) {
            schemaFiles = walk.filter(Files::isRegularFile).sorted().toList();
        }
        assertThat(schemaFiles).hasSizeGreaterThan(5);
        for (Path file : schemaFiles) {
            String relative = registry.relativize(file).toString().replace('\\', '/');
            assertThat(out.resources().get(CatalogWriter.SCHEMAS + relative))
                    .as(relative).isEqualTo(Files.readAllBytes(file));
        }
        assertThat(out.resources()).hasSize(schemaFiles.size() + 1);
    }

    @Test
    void outputIsDeterministicAndDoesNotDependOnWhereTheRegistryIs(@TempDir Path tmp) {
        Path copy = tmp.resolve("elsewhere/schemas");
        Fixtures.copyTree(Fixtures.fixtureRegistry(), copy);

        GeneratedSources first = CodeGenerator.generate(Fixtures.fixtureRegistry(), GeneratorOptions.defaults());
        GeneratedSources second = CodeGenerator.generate(copy, GeneratorOptions.defaults());

        assertThat(second.sources().keySet()).containsExactlyElementsOf(first.sources().keySet());
        first.sources().forEach((path, bytes) -> assertThat(second.sources().get(path)).as(path).isEqualTo(bytes));
        first.resources().forEach((path, bytes) -> assertThat(second.resources().get(path)).as(path).isEqualTo(bytes));
    }

    @Test
    void generatedSourcesCompileWithEveryLintWarningAsAnError(@TempDir Path tmp) throws IOException {
        GeneratedSources out = CodeGenerator.generate(Fixtures.fixtureRegistry(), GeneratorOptions.defaults());
        try (var loader = InProcessCompiler.compile(out, tmp)) {
            assertThat(loader.loadClass("com.example.fixture.CartCheckedOut").isRecord()).isTrue();
        } catch (ClassNotFoundException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void thePackageCanBeOverridden() {
        GeneratedSources out = CodeGenerator.generate(Fixtures.fixtureRegistry(),
                GeneratorOptions.defaults().withJavaPackage("org.acme.events"));
        assertThat(out.sources()).containsKey("org/acme/events/CartCheckedOut.java")
                .doesNotContainKey("com/example/fixture/CartCheckedOut.java");
        assertThat(out.source("org/acme/events/CartCheckedOut.java")).startsWith(
                "// Generated by Herald from events/cart.checked-out/v2.json").contains("package org.acme.events;");
        assertThat(new String(out.resources().get(CatalogWriter.CATALOG), StandardCharsets.UTF_8))
                .contains("\"javaClass\" : \"org.acme.events.CartCheckedOut\"");
    }
}
