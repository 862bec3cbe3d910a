package dev.herald.codegen;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * The generator's output, in memory: Java sources and resources by '/'-separated relative path,
 * sorted. Writing it touches only files whose bytes changed, so an unchanged type keeps its
 * timestamp and the compiler's stale-source check can skip it.
 */
public final class GeneratedSources {

    private final Map<String, byte[]> sources;
    private final Map<String, byte[]> resources;

    GeneratedSources(Map<String, byte[]> sources, Map<String, byte[]> resources) {
        this.sources = Collections.unmodifiableMap(new TreeMap<>(sources));
        this.resources = Collections.unmodifiableMap(new TreeMap<>(resources));
    }

    /** Java sources by path ({@code dev/herald/sdk/OrderCreated.java}). */
    public Map<String, byte[]> sources() {
        return sources;
    }

    /** Resources by path ({@code META-INF/herald/catalog.json}). */
    public Map<String, byte[]> resources() {
        return resources;
    }

    /** One source as text, or null. */
    public String source(String path) {
        byte[] bytes = sources.get(path);
        return bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
    }

    /** Writes sources under {@code sourceDir} and resources under {@code resourceDir}; returns files written. */
    public int writeTo(Path sourceDir, Path resourceDir) {
        return write(sourceDir, sources) + write(resourceDir, resources);
    }

    private static int write(Path dir, Map<String, byte[]> files) {
        int written = 0;
        try {
            for (Map.Entry<String, byte[]> file : files.entrySet()) {
                Path target = dir.resolve(file.getKey());
                if (Files.isRegularFile(target) && Arrays.equals(Files.readAllBytes(target), file.getValue())) {
                    continue;
                }
                Files.createDirectories(target.getParent());
                Files.write(target, file.getValue());
                written++;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write generated files under " + dir, e);
        }
        return written;
    }
}
