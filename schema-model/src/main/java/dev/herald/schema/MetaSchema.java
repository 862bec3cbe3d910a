package dev.herald.schema;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import com.networknt.schema.path.NodePath;
import java.util.ArrayList;
import java.util.List;

/** Checks a schema file against the JSON Schema draft 2020-12 meta-schema (bundled, no network). */
final class MetaSchema {

    static final String DRAFT_2020_12 = "https://json-schema.org/draft/2020-12/schema";

    private static final Schema META = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12)
            .getSchema(SchemaLocation.of(DRAFT_2020_12));

    private MetaSchema() {
    }

    static List<Problem> check(SchemaDocument document) {
        List<Problem> problems = new ArrayList<>();
        JsonNode declared = document.root().get("$schema");
        if (declared != null && !(declared.isTextual() && declared.textValue().replaceAll("#$", "").equals(DRAFT_2020_12))) {
            problems.add(new Problem(document.locate("/$schema"),
                    "the schema declares " + declared + "; Herald reads JSON Schema draft 2020-12 only",
                    "set \"$schema\": \"" + DRAFT_2020_12 + "\" (or leave it out) and port the keywords to 2020-12"));
            return problems;
        }
        for (Error error : META.validate(document.root())) {
            String pointer = pointer(error.getInstanceLocation());
            problems.add(new Problem(document.locate(pointer),
                    "not a valid JSON Schema (draft 2020-12): " + error.getMessage(),
                    "correct the keyword's value; see https://json-schema.org/draft/2020-12/json-schema-validation"));
        }
        return problems;
    }

    static String pointer(NodePath path) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < path.getNameCount(); i++) {
            out.append('/').append(SchemaDocument.escape(String.valueOf(path.getElement(i))));
        }
        return out.toString();
    }
}
