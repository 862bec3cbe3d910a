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

    /**
     * Loads {@code schemasDir} and generates; see {@link #generate(Registry, GeneratorOptions)}.
     * When the loader finds problems, the generator still runs on what loaded, and both phases'
     * problems are reported together: a user fixes them in one pass, not phase after phase.
     */
    public static GeneratedSources generate(Path schemasDir, GeneratorOptions options) {
        RegistryLoader.Loaded loaded = RegistryLoader.loadWithProblems(schemasDir);
        if (loaded.problems().isEmpty()) {
            return generate(loaded.registry(), options);
        }
        java.util.LinkedHashSet<Problem> all = new java.util.LinkedHashSet<>(loaded.problems());
        if (loaded.registry() != null) {
            try {
                generate(loaded.registry(), options);
            } catch (RegistryException generatorProblems) {
                all.addAll(generatorProblems.problems());
            } catch (RuntimeException brokenTooBadly) {
                // the loader's problems explain it; what the generator would add cannot be trusted
            }
        }
        throw new RegistryException(List.copyOf(all));
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
        Map<String, Model.Declared> topLevel = resolver.resolve();
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
