package dev.herald.schema;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The target of a {@code $ref}: the document it lives in, its JSON pointer there, and the node.
 */
public record ResolvedRef(SchemaDocument document, String pointer, JsonNode node) {

    public SourceLocation location() {
        return document.locate(pointer);
    }
}
