package dev.herald.compat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes small registries for tests. */
final class TestRegistry {

    static final String REGISTRY = "{\n  \"namespace\": \"herald\",\n  \"javaPackage\": \"dev.herald.sdk\",\n  \"services\": {\n"
            + "    \"order\": {\"description\": \"Orders.\"},\n    \"account\": {\"description\": \"Accounts.\"}\n  }\n}\n";

    private final Path root;

    TestRegistry(Path root) {
        this.root = root;
        write("registry.json", REGISTRY);
    }

    Path root() {
        return root;
    }

    TestRegistry write(String relative, String text) {
        try {
            Path file = root.resolve(relative);
            Files.createDirectories(file.getParent());
            Files.writeString(file, text);
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    TestRegistry delete(String relative) {
        try {
            Path file = root.resolve(relative);
            Files.delete(file);
            try (var rest = Files.list(file.getParent())) {
                if (rest.findAny().isEmpty()) {
                    Files.delete(file.getParent());
                }
            }
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** An event version: one property per line, so that findings have distinct lines. */
    static String event(String owner, String required, String... properties) {
        StringBuilder sb = new StringBuilder("{\n  \"$schema\": \"https://json-schema.org/draft/2020-12/schema\",\n")
                .append("  \"description\": \"A test event.\",\n  \"x-owner\": \"").append(owner).append("\",\n")
                .append("  \"type\": \"object\",\n  \"required\": [").append(required).append("],\n  \"properties\": {\n");
        for (int i = 0; i < properties.length; i++) {
            sb.append("    ").append(properties[i]).append(i < properties.length - 1 ? ",\n" : "\n");
        }
        return sb.append("  }\n}\n").toString();
    }

    TestRegistry copyTo(Path other) {
        try (var walk = Files.walk(root)) {
            for (Path p : (Iterable<Path>) walk::iterator) {
                Path target = other.resolve(root.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
            return new TestRegistry(other, true);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private TestRegistry(Path root, boolean existing) {
        this.root = root;
    }
}
