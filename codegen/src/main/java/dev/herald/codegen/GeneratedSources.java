package dev.herald.codegen;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collections;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;

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
        try {
            Set<Path> parents = new TreeSet<>();
            for (String path : files.keySet()) {
                parents.add(dir.resolve(path).getParent());
            }
            for (Path parent : parents) {
                Files.createDirectories(parent);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create folders under " + dir, e);
        }
        AtomicInteger written = new AtomicInteger();
        files.entrySet().parallelStream().forEach(file -> {
            Path target = dir.resolve(file.getKey());
            try {
                if (Files.isRegularFile(target) && Files.size(target) == file.getValue().length
                        && Arrays.equals(Files.readAllBytes(target), file.getValue())) {
                    return;
                }
                Files.write(target, file.getValue());
                written.incrementAndGet();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write " + target, e);
            }
        });
        return written.get();
    }
}
