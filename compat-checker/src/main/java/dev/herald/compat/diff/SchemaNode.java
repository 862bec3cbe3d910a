package dev.herald.compat.diff;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.compat.Location;
import dev.herald.compat.Pointers;
import dev.herald.compat.SchemaSource;
import dev.herald.schema.Dialect;

/**
 * A schema node, where it lives, and the draft it is read by. {@code dialect} is null for a schema
 * that declares none: Herald reads it as 2020-12 with draft-07's forms still understood.
 */
public record SchemaNode(SchemaSource source, String pointer, JsonNode json, Dialect dialect) {

    public static SchemaNode root(SchemaSource source) {
        return new SchemaNode(source, "", source.root(), Dialects.declared(source));
    }

    public SchemaNode child(String key) {
        JsonNode c = json.get(key);
        return c == null ? null : new SchemaNode(source, Pointers.child(pointer, key), c, dialect);
    }

    public SchemaNode child(int index) {
        return new SchemaNode(source, Pointers.child(pointer, index), json.get(index), dialect);
    }

    /** The child at {@code key}, or this node when there is none (for locations). */
    public SchemaNode at(String key) {
        SchemaNode c = child(key);
        return c != null ? c : this;
    }

    public boolean has(String key) {
        return json.has(key);
    }

    /** A synthetic node (an implied {@code true}, a merged object) placed at this node. */
    public SchemaNode synthetic(JsonNode value) {
        return new SchemaNode(source, pointer, value, dialect);
    }

    /** Whether this node's draft defines {@code keyword} (a schema without a draft: any draft). */
    public boolean defines(String keyword) {
        return dialect == null ? dev.herald.schema.Vocabulary.ALL_DRAFT_KEYWORDS.contains(keyword) : dialect.has(keyword);
    }

    /** Whether {@code items} may be a tuple here (drafts 4 to 2019-09, or no draft declared). */
    public boolean tupleItems() {
        return dialect == null || dialect.tupleItems();
    }

    public Location location() {
        return source.locate(pointer);
    }
}
