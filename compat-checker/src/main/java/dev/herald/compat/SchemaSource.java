package dev.herald.compat;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The seam between the diff engine and wherever schemas come from (schema-model documents, an
 * in-memory tree): a root node, source locations, and {@code $ref} resolution.
 */
public interface SchemaSource {

    /** The file as printed in reports. */
    String file();

    /** The file inside its registry ({@code types/money.json}); the printed file when there is no registry. */
    default String relativePath() {
        return file();
    }

    JsonNode root();

    /** Where the node at {@code pointer} is; the nearest existing ancestor when it does not exist. */
    Location locate(String pointer);

    /**
     * Resolves a {@code $ref} written in this source at {@code fromPointer}.
     *
     * @throws CompatException when the reference leads nowhere
     */
    Target resolve(String ref, String fromPointer);

    /**
     * Two sources with equal, non-null scopes resolve the same relative {@code $ref} to the same
     * schema, so equal JSON in both means equal schemas (a fast path of the engine).
     */
    default Object scope() {
        return null;
    }

    /** The target of a {@code $ref}. */
    record Target(SchemaSource source, String pointer, JsonNode node) {
    }
}
