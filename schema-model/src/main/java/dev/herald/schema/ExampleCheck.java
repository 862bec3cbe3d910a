package dev.herald.schema;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Validates every {@code examples} entry of an event or type against its own schema (with its
 * {@code $ref}s), formats asserted: an example is documentation that the SDK's tests replay, so
 * a wrong one is a bug in the registry.
 */
final class ExampleCheck {

    private ExampleCheck() {
    }

    /** The examples of every document {@code skip} does not accept, against their schemas. */
    static List<Problem> check(Map<String, SchemaDocument> documents, java.util.function.Predicate<SchemaDocument> skip) {
        // One networknt registry over the loader's own parsed files, addressed by a synthetic base
        // URI, so $refs resolve exactly as schema-model resolved them and nothing is read twice.
        SchemaRegistry registry = HeraldDialect.validatorRegistry(iri -> {
            if (!iri.startsWith(BASE)) {
                return null;
            }
            SchemaDocument doc = documents.get(iri.substring(BASE.length()));
            return doc == null ? null : doc.text();
        });
        List<Problem> problems = new ArrayList<>();
        for (SchemaDocument doc : documents.values()) {
            JsonNode examples = doc.root().get("examples");
            if (examples == null || !examples.isArray() || examples.isEmpty() || skip.test(doc)) {
                continue;
            }
            Schema schema;
            try {
                schema = registry.getSchema(SchemaLocation.of(BASE + doc.relativePath()));
            } catch (RuntimeException e) {
                continue; // the schema itself is broken: already reported by the meta-schema and $ref checks
            }
            for (int i = 0; i < examples.size(); i++) {
                for (Error error : schema.validate(examples.get(i))) {
                    String instance = MetaSchema.pointer(error.getInstanceLocation());
                    problems.add(new Problem(doc.locate("/examples/" + i + instance),
                            "example " + i + " does not match the schema: " + error.getMessage(),
                            "correct the example (or the schema, if the example shows what producers really send)"));
                }
            }
        }
        return problems;
    }

    private static final String BASE = "https://registry.herald.invalid/";
}
