package dev.herald.codegen;

import dev.herald.schema.Problem;
import dev.herald.schema.Registry;
import dev.herald.schema.RegistryException;
import dev.herald.schema.RegistryLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The generator as a plain library: a loaded {@link Registry} in, Java sources and the catalog
 * resources out. No Maven, no file writes (see {@link GeneratedSources#writeTo} and
 * {@link IncrementalGenerator}).
 *
 * <pre>{@code
 * Registry registry = RegistryLoader.load(Path.of("schemas"));
 * GeneratedSources out = CodeGenerator.generate(registry, GeneratorOptions.defaults());
 * out.writeTo(Path.of("target/generated-sources/herald"), Path.of("target/generated-resources/herald"));
 * }</pre>
 */
public final class CodeGenerator {

    private CodeGenerator() {
    }

    /** Loads {@code schemasDir} and generates; see {@link #generate(Registry, GeneratorOptions)}. */
    public static GeneratedSources generate(Path schemasDir, GeneratorOptions options) {
        return generate(RegistryLoader.load(schemasDir), options);
    }

    /**
     * Generates every type of the registry.
     *
     * @throws RegistryException listing every schema construct the generator cannot express, each
     *                           with file, line, JSON pointer and a fix
     */
    public static GeneratedSources generate(Registry registry, GeneratorOptions options) {
        String javaPackage = options.javaPackage() != null ? options.javaPackage() : registry.javaPackage();
        TypeResolver resolver = new TypeResolver(registry, javaPackage);
        Map<String, Object> topLevel = resolver.resolve();
        List<Problem> problems = resolver.problems();
        if (!problems.isEmpty()) {
            throw new RegistryException(problems);
        }
        JavaEmitter emitter = new JavaEmitter(javaPackage, options.builderThreshold(), resolver.deprecatedTypes());
        // rendering is the costly part and each file is independent: render in parallel, collect sorted
        Map<String, byte[]> sources = new TreeMap<>(emitter.emit(topLevel, registry).parallelStream()
                .collect(Collectors.toMap(
                        file -> file.packageName().replace('.', '/') + "/" + file.typeSpec().name() + ".java",
                        file -> file.toString().getBytes(StandardCharsets.UTF_8))));
        return new GeneratedSources(sources, CatalogWriter.resources(registry, javaPackage));
    }
}
