package dev.herald.compat;

import dev.herald.schema.Registry;
import dev.herald.schema.RegistryException;
import dev.herald.schema.SchemaDocument;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * The published state a registry is compared against: its files by path inside the registry
 * ({@code events/order.created/v1.json}), read only as far as needed. A baseline is main's registry,
 * already checked when it was merged, so it is not loaded and re-validated as a whole (today's
 * loader may be stricter than yesterday's, and a large registry would cost seconds): unchanged
 * files are recognised by their content (a git blob id, or the bytes), and only changed files,
 * and the files they reference, are parsed.
 */
public abstract class BaselineTree {

    private final String label;
    private final String displayPrefix;
    private final Map<String, SchemaDocument> parsed = new ConcurrentHashMap<>();

    protected BaselineTree(String label, String displayPrefix) {
        this.label = label;
        this.displayPrefix = displayPrefix;
    }

    /** How the baseline is named in reports: {@code git:origin/main (3f2a9c1d7b0e)}, or the folder. */
    public String label() {
        return label;
    }

    /** What replaces the registry folder in printed paths: {@code origin/main:schemas/}. */
    public String displayPrefix() {
        return displayPrefix;
    }

    /** Every .json file of the baseline registry, by path inside the registry. */
    public abstract SortedSet<String> paths();

    /** Whether the baseline file has exactly this text (UTF-8), without parsing it. */
    public abstract boolean sameText(String path, String text);

    /** The raw text of a baseline file; null if there is no such file. */
    protected abstract String read(String path);

    /** A baseline file, parsed on first use; null if there is no such file. */
    public SchemaDocument document(String path) {
        SchemaDocument cached = parsed.get(path);
        if (cached != null) {
            return cached;
        }
        String text = read(path);
        if (text == null) {
            return null;
        }
        try {
            SchemaDocument doc = SchemaDocument.parse(Path.of(displayPrefix + path), path, text);
            parsed.put(path, doc);
            return doc;
        } catch (RegistryException e) {
            throw new CompatException("the baseline file " + displayPrefix + path + " cannot be read: " + e.getMessage(), e);
        }
    }

    /** A registry that is already loaded (tests, or a caller that has one). */
    public static BaselineTree of(Registry registry, String label, String displayPrefix) {
        return new BaselineTree(label, displayPrefix) {
            @Override
            public SortedSet<String> paths() {
                SortedSet<String> set = new TreeSet<>(registry.documents().keySet());
                set.add("registry.json");
                return set;
            }

            @Override
            public boolean sameText(String path, String text) {
                SchemaDocument d = document(path);
                return d != null && d.text().equals(text);
            }

            @Override
            protected String read(String path) {
                return null;
            }

            @Override
            public SchemaDocument document(String path) {
                return path.equals("registry.json") ? registry.registryDocument() : registry.document(path).orElse(null);
            }
        };
    }

    /** A folder holding the baseline registry. */
    public static BaselineTree ofFolder(Path dir) {
        if (!Files.isDirectory(dir) || !Files.isRegularFile(dir.resolve("registry.json"))) {
            throw new CompatException("the baseline " + dir + " is not a registry folder (no registry.json)");
        }
        String shown = dir.toString().replace('\\', '/');
        SortedSet<String> paths = new TreeSet<>();
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.filter(p -> p.toString().endsWith(".json") && Files.isRegularFile(p))
                    .forEach(p -> paths.add(dir.relativize(p).toString().replace('\\', '/')));
        } catch (IOException e) {
            throw new CompatException("cannot read the baseline " + dir + ": " + e.getMessage(), e);
        }
        return new BaselineTree(shown, shown.endsWith("/") ? shown : shown + "/") {
            @Override
            public SortedSet<String> paths() {
                return paths;
            }

            @Override
            public boolean sameText(String path, String text) {
                String mine = read(path);
                return mine != null && mine.equals(text);
            }

            @Override
            protected String read(String path) {
                if (!paths.contains(path)) {
                    return null;
                }
                try {
                    return Files.readString(dir.resolve(path), StandardCharsets.UTF_8);
                } catch (IOException e) {
                    throw new CompatException("cannot read the baseline file " + dir.resolve(path) + ": " + e.getMessage(), e);
                }
            }
        };
    }
}
