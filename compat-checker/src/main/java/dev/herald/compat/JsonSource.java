package dev.herald.compat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * A schema held in memory (the compatibility corpus, tests). Resolves local {@code $ref}s
 * ({@code #/definitions/x}, {@code #Anchor} by {@code $id}/{@code $anchor}) and, through an
 * optional loader, references to other files.
 */
public final class JsonSource implements SchemaSource {

    private final String file;
    private final JsonNode root;
    private final BiFunction<JsonSource, String, SchemaSource> fileLoader;

    public JsonSource(String file, JsonNode root) {
        this(file, root, null);
    }

    /** @param fileLoader given this source and the file part of a $ref, returns that file's source */
    public JsonSource(String file, JsonNode root, BiFunction<JsonSource, String, SchemaSource> fileLoader) {
        this.file = file;
        this.root = root;
        this.fileLoader = fileLoader;
    }

    @Override
    public String file() {
        return file;
    }

    @Override
    public JsonNode root() {
        return root;
    }

    @Override
    public Location locate(String pointer) {
        return new Location(file, 0, 0, pointer);
    }

    @Override
    public Target resolve(String ref, String fromPointer) {
        int hash = ref.indexOf('#');
        String filePart = hash < 0 ? ref : ref.substring(0, hash);
        String fragment = hash < 0 ? "" : ref.substring(hash + 1);
        SchemaSource target = this;
        if (!filePart.isEmpty()) {
            if (fileLoader == null) {
                throw new CompatException(file + " (#" + fromPointer + "): $ref '" + ref + "' points to another file, which cannot be loaded here");
            }
            target = fileLoader.apply(this, filePart);
        }
        return resolveFragment(target, fragment, ref, file, fromPointer);
    }

    static Target resolveFragment(SchemaSource target, String fragment, String ref, String file, String fromPointer) {
        if (fragment.isEmpty() || fragment.startsWith("/")) {
            JsonNode node = Pointers.at(target.root(), fragment);
            if (node == null) {
                throw new CompatException(file + " (#" + fromPointer + "): $ref '" + ref + "' does not resolve");
            }
            return new Target(target, fragment, node);
        }
        String found = findAnchor(target.root(), "", fragment);
        if (found == null) {
            throw new CompatException(file + " (#" + fromPointer + "): $ref '" + ref + "' names an anchor that no $id or $anchor declares");
        }
        return new Target(target, found, Pointers.at(target.root(), found));
    }

    private static String findAnchor(JsonNode node, String pointer, String anchor) {
        if (node.isObject()) {
            JsonNode id = node.get("$id");
            JsonNode a = node.get("$anchor");
            if ((id != null && id.isTextual() && id.asText().endsWith("#" + anchor))
                    || (a != null && a.isTextual() && a.asText().equals(anchor))) {
                return pointer;
            }
            for (Map.Entry<String, JsonNode> e : node.properties()) {
                String r = findAnchor(e.getValue(), Pointers.child(pointer, e.getKey()), anchor);
                if (r != null) {
                    return r;
                }
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                String r = findAnchor(node.get(i), Pointers.child(pointer, i), anchor);
                if (r != null) {
                    return r;
                }
            }
        }
        return null;
    }
}
