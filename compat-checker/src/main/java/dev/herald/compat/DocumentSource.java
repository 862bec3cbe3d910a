package dev.herald.compat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.schema.Registry;
import dev.herald.schema.RegistryException;
import dev.herald.schema.ResolvedRef;
import dev.herald.schema.SchemaDocument;
import dev.herald.schema.SourceLocation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A schema-model document as a {@link SchemaSource}: real line and column for every node, and
 * {@code $ref}s resolved through the registry (or, for a file given alone, relative to it on disk).
 */
public final class DocumentSource implements SchemaSource {

    /** Creates and caches the sources of one registry, of a baseline tree, or of loose files. */
    public static final class Factory {
        private final Registry registry;
        private final BaselineTree tree;
        private final String displayPrefix;
        private final Map<String, DocumentSource> cache = new java.util.concurrent.ConcurrentHashMap<>();

        private Factory(Registry registry, String displayPrefix) {
            this(registry, null, displayPrefix);
        }

        private Factory(Registry registry, BaselineTree tree, String displayPrefix) {
            this.registry = registry;
            this.tree = tree;
            this.displayPrefix = displayPrefix;
        }

        public DocumentSource source(SchemaDocument document) {
            String key = registry == null && tree == null ? document.path().toAbsolutePath().normalize().toString() : document.relativePath();
            return cache.computeIfAbsent(key, k -> new DocumentSource(this, document));
        }

        String display(SchemaDocument document) {
            return displayPrefix == null ? document.path().toString().replace('\\', '/') : displayPrefix + document.relativePath();
        }
    }

    /**
     * Sources of a registry. {@code displayPrefix} replaces the registry folder in printed paths
     * (e.g. {@code "origin/main:schemas/"} for a git baseline); null prints the paths as loaded.
     */
    public static Factory forRegistry(Registry registry, String displayPrefix) {
        return new Factory(Objects.requireNonNull(registry), displayPrefix);
    }

    /** Sources of a baseline tree: documents are parsed as needed, $refs resolve inside the tree. */
    public static Factory forBaseline(BaselineTree tree) {
        return new Factory(null, Objects.requireNonNull(tree), tree.displayPrefix());
    }

    /** A schema file outside any registry; relative $refs are read from disk next to it. */
    public static DocumentSource ofFile(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new CompatException(file + ": no such file");
        }
        try {
            return new Factory(null, null).source(SchemaDocument.parse(file, file.getFileName().toString()));
        } catch (RegistryException e) {
            throw new CompatException(e.getMessage(), e);
        }
    }

    private final Factory factory;
    private final SchemaDocument document;
    private final String file;
    private final Object scope;

    private DocumentSource(Factory factory, SchemaDocument document) {
        this.factory = factory;
        this.document = document;
        this.file = factory.display(document);
        String rel = document.relativePath();
        int slash = rel.lastIndexOf('/');
        this.scope = factory.registry == null && factory.tree == null ? null
                : List.of(System.identityHashCode(factory), slash < 0 ? "" : rel.substring(0, slash));
    }

    public SchemaDocument document() {
        return document;
    }

    @Override
    public String file() {
        return file;
    }

    @Override
    public String relativePath() {
        return document.relativePath();
    }

    @Override
    public JsonNode root() {
        return document.root();
    }

    @Override
    public Location locate(String pointer) {
        SourceLocation l = document.locate(pointer);
        return new Location(file, l.line(), l.column(), pointer);
    }

    @Override
    public Object scope() {
        return scope;
    }

    @Override
    public Target resolve(String ref, String fromPointer) {
        if (factory.registry != null) {
            try {
                ResolvedRef r = factory.registry.resolve(document, ref, fromPointer);
                return new Target(factory.source(r.document()), r.pointer(), r.node());
            } catch (RegistryException e) {
                throw new CompatException(e.getMessage(), e);
            }
        }
        int hash = ref.indexOf('#');
        String filePart = hash < 0 ? ref : ref.substring(0, hash);
        String fragment = hash < 0 ? "" : ref.substring(hash + 1);
        SchemaSource target = this;
        if (!filePart.isEmpty() && factory.tree != null) {
            String path = Registry.targetPath(document, ref);
            SchemaDocument other = path == null ? null : factory.tree.document(path);
            if (other == null) {
                throw new CompatException(locate(fromPointer).fileLineColumn() + ": $ref '" + ref + "' does not resolve in the baseline");
            }
            target = factory.source(other);
        } else if (!filePart.isEmpty()) {
            Path parent = document.path().toAbsolutePath().getParent();
            Path other = parent.resolve(filePart).normalize();
            if (!Files.isRegularFile(other)) {
                throw new CompatException(locate(fromPointer).fileLineColumn() + ": $ref '" + ref + "' does not resolve: no file " + other);
            }
            Path shown = document.path().getParent() == null ? Path.of(filePart) : document.path().getParent().resolve(filePart).normalize();
            try {
                target = factory.source(SchemaDocument.parse(shown.isAbsolute() ? other : shown, other.getFileName().toString()));
            } catch (RegistryException e) {
                throw new CompatException(e.getMessage(), e);
            }
        }
        return JsonSource.resolveFragment(target, fragment, ref, locate(fromPointer).fileLineColumn(), fromPointer);
    }
}
