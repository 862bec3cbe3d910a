package dev.herald.compat.diff;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.compat.CompatException;
import dev.herald.compat.SchemaSource;
import dev.herald.schema.Dialect;

/** The draft a schema document declares with {@code $schema}, or a clear refusal. */
final class Dialects {

    private Dialects() {
    }

    /** The node without the keywords its draft does not define (the node itself when it has none of them). */
    static SchemaNode view(SchemaNode n) {
        if (!n.json().isObject()) {
            return n;
        }
        com.fasterxml.jackson.databind.node.ObjectNode copy = null;
        for (java.util.Iterator<String> it = n.json().fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (!Schemas.ignored(k) && !n.defines(k)) {
                if (copy == null) {
                    copy = ((com.fasterxml.jackson.databind.node.ObjectNode) n.json()).deepCopy();
                }
                copy.remove(k);
            }
        }
        return copy == null ? n : n.synthetic(copy);
    }

    /** The declared draft; null when the document declares none. */
    static Dialect declared(SchemaSource source) {
        JsonNode root = source.root();
        JsonNode s = root == null || !root.isObject() ? null : root.get("$schema");
        if (s == null) {
            return null;
        }
        if (!s.isTextual()) {
            throw new CompatException(source.file() + " (#/$schema): $schema must be a URI string, found " + s);
        }
        return Dialect.of(s.textValue()).orElseThrow(() -> new CompatException(source.file() + " (#/$schema): the schema declares "
                + s.textValue() + ", a draft Herald cannot compare: declare one of draft 4, 6, 7, 2019-09 or 2020-12 "
                + "(e.g. \"https://json-schema.org/draft/2020-12/schema\"), or leave $schema out"));
    }
}
