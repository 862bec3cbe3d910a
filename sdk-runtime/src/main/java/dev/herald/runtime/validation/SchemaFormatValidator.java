package dev.herald.runtime.validation;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import dev.herald.schema.HeraldDialect;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Checks {@link SchemaFormat} with the broker's validator: {@code {"type": "string", "format": <name>}}. */
public final class SchemaFormatValidator implements ConstraintValidator<SchemaFormat, CharSequence> {

    private static final Map<String, Schema> SCHEMAS = new ConcurrentHashMap<>();
    private Schema schema;

    @Override
    public void initialize(SchemaFormat constraint) {
        this.schema = SCHEMAS.computeIfAbsent(constraint.value(), SchemaFormatValidator::schemaOf);
    }

    private static Schema schemaOf(String format) {
        var node = JsonNodeFactory.instance.objectNode()
                .put("$schema", "https://json-schema.org/draft/2020-12/schema").put("type", "string").put("format", format);
        return HeraldDialect.validatorRegistry(iri -> null).getSchema(SchemaLocation.of("herald:format/" + format), node);
    }

    @Override
    public boolean isValid(CharSequence value, ConstraintValidatorContext context) {
        return value == null || schema.validate(JsonNodeFactory.instance.textNode(value.toString())).isEmpty();
    }
}
