package dev.herald.schema;

import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.dialect.Dialect;
import com.networknt.schema.dialect.Dialects;
import com.networknt.schema.keyword.AnnotationKeyword;
import java.util.List;
import java.util.function.Function;

/**
 * JSON Schema draft 2020-12 plus Herald's own keywords as annotations, so that a validator built
 * from registry files knows them (and does not warn about each one as unknown).
 */
public final class HeraldDialect {

    /** The keywords Herald adds to JSON Schema ({@link Vocabulary#HERALD_KEYWORDS}); validators ignore them. */
    public static final List<String> KEYWORDS = Vocabulary.HERALD_KEYWORDS;

    private static final Dialect DIALECT = Dialect.builder(Dialects.getDraft202012())
            .keywords(KEYWORDS.stream().map(AnnotationKeyword::new).toList())
            .build();

    private HeraldDialect() {
    }

    /**
     * A networknt schema registry for validating instances against registry files: draft 2020-12,
     * Herald's keywords known, {@code format} asserted (a uuid that is not a uuid is invalid, as
     * the generated record would refuse it), schemas read through {@code schemaText}.
     *
     * @param schemaText maps an absolute IRI to the schema text, or null when it is not known
     */
    public static SchemaRegistry validatorRegistry(Function<String, String> schemaText) {
        SchemaRegistryConfig config = SchemaRegistryConfig.builder().formatAssertionsEnabled(true).build();
        return SchemaRegistry.withDefaultDialect(DIALECT,
                builder -> builder.schemaRegistryConfig(config).schemas(schemaText));
    }
}
