package dev.herald.codegen;

import java.util.Objects;

/**
 * How to generate.
 *
 * @param javaPackage      the package of every generated type; {@code null} takes {@code javaPackage}
 *                         from the registry's {@code registry.json}
 * @param builderThreshold records with at least this many components also get a {@code Builder}
 */
public record GeneratorOptions(String javaPackage, int builderThreshold) {

    /** Records with this many components or more get a builder. */
    public static final int DEFAULT_BUILDER_THRESHOLD = 5;

    public GeneratorOptions {
        if (javaPackage != null && !javaPackage.matches("[a-z_][a-z0-9_]*(\\.[a-z_][a-z0-9_]*)*")) {
            throw new IllegalArgumentException("not a Java package name: " + javaPackage);
        }
        if (builderThreshold < 1) {
            throw new IllegalArgumentException("builderThreshold must be at least 1: " + builderThreshold);
        }
    }

    /** The registry's package and the default builder threshold. */
    public static GeneratorOptions defaults() {
        return new GeneratorOptions(null, DEFAULT_BUILDER_THRESHOLD);
    }

    public GeneratorOptions withJavaPackage(String pkg) {
        return new GeneratorOptions(pkg, builderThreshold);
    }

    /** The options as one line, part of the incremental-build fingerprint. */
    String fingerprint() {
        return "package=" + Objects.toString(javaPackage, "") + ";builderThreshold=" + builderThreshold;
    }
}
