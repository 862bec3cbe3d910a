package dev.herald.schema;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The loaded, linked and checked registry. Immutable; built by {@link RegistryLoader}.
 */
public final class Registry {

    private final Path root;
    private final String namespace;
    private final String javaPackage;
    private final SchemaDocument registryDocument;
    private final List<ServiceDef> services;
    private final List<EventDef> events;
    private final List<TypeDef> types;
    private final SchemaDocument compatConfig;
    private final Map<String, SchemaDocument> documents;
    private final List<String> annotationKeywords;

    Registry(Path root, String namespace, String javaPackage, SchemaDocument registryDocument,
             List<ServiceDef> services, List<EventDef> events, List<TypeDef> types,
             SchemaDocument compatConfig, Map<String, SchemaDocument> documents, List<String> annotationKeywords) {
        this.annotationKeywords = List.copyOf(annotationKeywords);
        this.root = root;
        this.namespace = namespace;
        this.javaPackage = javaPackage;
        this.registryDocument = registryDocument;
        this.services = List.copyOf(services);
        this.events = List.copyOf(events);
        this.types = List.copyOf(types);
        this.compatConfig = compatConfig;
        this.documents = Map.copyOf(documents);
    }

    /**
     * The foreign keywords {@code registry.json} declares as annotations ({@code "annotationKeywords"}:
     * names, or prefixes ending in {@code *}): schemas written for other tools
     * ({@code tsAdditionalProperties}, a vendor's {@code x-…}) carry them, and every part of
     * Herald ignores them. Undeclared unknown keywords are refused, never ignored silently.
     */
    public List<String> annotationKeywords() {
        return annotationKeywords;
    }

    /** Whether {@code keyword} only annotates: one of the vocabulary's annotations, or declared in {@link #annotationKeywords}. */
    public boolean isAnnotation(String keyword) {
        if (Vocabulary.ANNOTATIONS.contains(keyword) || Vocabulary.HERALD_KEYWORDS.contains(keyword)) {
            return true;
        }
        for (String declared : annotationKeywords) {
            if (declared.endsWith("*") ? keyword.startsWith(declared.substring(0, declared.length() - 1)) : keyword.equals(declared)) {
                return true;
            }
        }
        return false;
    }

    /** The registry folder, as given to the loader. */
    public Path root() {
        return root;
    }

    /** Prefix of every Redis key of the bus ({@code herald} by default). */
    public String namespace() {
        return namespace;
    }

    /** The Java package the SDK is generated into. */
    public String javaPackage() {
        return javaPackage;
    }

    public SchemaDocument registryDocument() {
        return registryDocument;
    }

    /** Sorted by name. */
    public List<ServiceDef> services() {
        return services;
    }

    public Optional<ServiceDef> service(String name) {
        return services.stream().filter(s -> s.name().equals(name)).findFirst();
    }

    /** Sorted by name. */
    public List<EventDef> events() {
        return events;
    }

    public Optional<EventDef> event(String name) {
        return events.stream().filter(e -> e.name().equals(name)).findFirst();
    }

    /** Shared definitions under {@code types/}, sorted by name. */
    public List<TypeDef> types() {
        return types;
    }

    public Optional<TypeDef> type(String name) {
        return types.stream().filter(t -> t.name().equals(name)).findFirst();
    }

    /** {@code compat.json}, the gate's configuration, when the registry has one. */
    public Optional<SchemaDocument> compatConfig() {
        return Optional.ofNullable(compatConfig);
    }

    /** Every schema file (events and types) by its path inside the registry. */
    public Map<String, SchemaDocument> documents() {
        return documents;
    }

    /** A schema file by its path inside the registry ({@code types/money.json}). */
    public Optional<SchemaDocument> document(String relativePath) {
        return Optional.ofNullable(documents.get(relativePath));
    }

    /**
     * Resolves a {@code $ref} written in {@code from}: a local pointer ({@code #/$defs/line}), a file
     * relative to {@code from} ({@code ../../types/money.json}), or both
     * ({@code ../../types/money.json#/properties/currency}).
     *
     * @throws RegistryException when the reference leads nowhere; the problem is placed at
     *                           {@code from}'s root, since this method does not know which node wrote it
     */
    public ResolvedRef resolve(SchemaDocument from, String ref) {
        return resolve(from, ref, "");
    }

    /** As {@link #resolve(SchemaDocument, String)}, blaming the node at {@code refPointer} on failure. */
    public ResolvedRef resolve(SchemaDocument from, String ref, String refPointer) {
        return resolve(documents, from, ref, refPointer);
    }

    static ResolvedRef resolve(Map<String, SchemaDocument> documents, SchemaDocument from, String ref, String refPointer) {
        int hash = ref.indexOf('#');
        String filePart = hash < 0 ? ref : ref.substring(0, hash);
        String fragment = hash < 0 ? "" : ref.substring(hash + 1);
        SchemaDocument target = from;
        if (!filePart.isEmpty()) {
            if (filePart.contains(":")) {
                throw unresolved(from, ref, refPointer,
                        "it is an absolute URI; Herald resolves only references inside the registry",
                        "refer to a file of the registry by its relative path, e.g. \"../../types/money.json\"");
            }
            String targetPath = normalize(parentOf(from.relativePath()) + filePart);
            target = targetPath == null ? null : documents.get(targetPath);
            if (target == null) {
                throw unresolved(from, ref, refPointer,
                        "no schema file " + (targetPath == null ? filePart : targetPath) + " in the registry",
                        "correct the path (it is relative to this file) or add the file under types/");
            }
        }
        String pointer = URLDecoder.decode(fragment, StandardCharsets.UTF_8);
        if (!pointer.isEmpty() && !pointer.startsWith("/")) {
            String anchored = findAnchor(target.root(), pointer, "");
            if (anchored == null) {
                throw unresolved(from, ref, refPointer, "no $anchor \"" + pointer + "\" in " + target.relativePath(),
                        "use a JSON pointer such as #/$defs/" + pointer + " or declare the $anchor");
            }
            pointer = anchored;
        }
        JsonNode node = target.root().at(pointer);
        if (node.isMissingNode()) {
            throw unresolved(from, ref, refPointer, "nothing at #" + pointer + " in " + target.relativePath(),
                    "point at an existing definition, e.g. #/$defs/<name>");
        }
        return new ResolvedRef(target, pointer, node);
    }

    private static String findAnchor(JsonNode node, String anchor, String pointer) {
        if (node.isObject()) {
            JsonNode a = node.get("$anchor");
            if (a != null && a.isTextual() && a.textValue().equals(anchor)) {
                return pointer;
            }
            for (Map.Entry<String, JsonNode> e : node.properties()) {
                String found = findAnchor(e.getValue(), anchor, pointer + "/" + SchemaDocument.escape(e.getKey()));
                if (found != null) {
                    return found;
                }
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                String found = findAnchor(node.get(i), anchor, pointer + "/" + i);
                if (found != null) {
                    return found;
                }
            }
        }
        return null;
    }

    private static RegistryException unresolved(SchemaDocument from, String ref, String refPointer, String why, String fix) {
        return new RegistryException(new Problem(from.locate(refPointer),
                "$ref \"" + ref + "\" does not resolve: " + why, fix));
    }

    /**
     * The registry path a {@code $ref} written in {@code from} points at: {@code types/money.json}
     * for {@code ../../types/money.json#/properties/currency} written in an event; {@code from}'s
     * own path for a local reference; null when the path climbs out of the registry.
     */
    public static String targetPath(SchemaDocument from, String ref) {
        int hash = ref.indexOf('#');
        String filePart = hash < 0 ? ref : ref.substring(0, hash);
        return filePart.isEmpty() ? from.relativePath() : normalize(parentOf(from.relativePath()) + filePart);
    }

    private static String parentOf(String relativePath) {
        int slash = relativePath.lastIndexOf('/');
        return slash < 0 ? "" : relativePath.substring(0, slash + 1);
    }

    /** Folds "." and ".." out of a '/'-separated path; null when it climbs out of the registry. */
    static String normalize(String path) {
        java.util.ArrayDeque<String> parts = new java.util.ArrayDeque<>();
        for (String part : path.split("/")) {
            if (part.isEmpty() || part.equals(".")) {
                continue;
            }
            if (part.equals("..")) {
                if (parts.isEmpty()) {
                    return null;
                }
                parts.removeLast();
            } else {
                parts.addLast(part);
            }
        }
        return String.join("/", parts);
    }
}
