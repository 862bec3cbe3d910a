package dev.herald.codegen;

import static dev.herald.codegen.TypeResolver.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.TypeName;
import dev.herald.codegen.Model.TypeUse;
import dev.herald.schema.SchemaDocument;
import java.util.ArrayList;
import java.util.List;

/** A schema's {@code default} as Java code of the property's type, applied in the compact constructor. */
final class DefaultValues {

    private final TypeResolver.ProblemSink problems;

    DefaultValues(TypeResolver.ProblemSink problems) {
        this.problems = problems;
    }

    CodeBlock code(SchemaDocument doc, String pointer, TypeUse use, JsonNode value) {
        CodeBlock code = defaultCodeOrNull(use, value);
        if (code == null) {
            problems.add(doc, pointer, "the default " + value + " does not fit the property's type "
                    + use.plain(), "write a default of the property's type, or remove it");
        }
        return code;
    }

    private CodeBlock defaultCodeOrNull(TypeUse use, JsonNode value) {
        if (value.isNull()) {
            return null;
        }
        switch (use.kind()) {
            case ENUM: {
                String constant = value.isTextual() ? use.enumModel().constants.get(value.textValue()) : null;
                return constant == null ? null : CodeBlock.of("$T.$L", use.enumModel().name, constant);
            }
            case LIST: {
                if (!value.isArray()) {
                    return null;
                }
                List<CodeBlock> elements = new ArrayList<>();
                for (JsonNode v : value) {
                    CodeBlock e = defaultCodeOrNull(use.element(), v);
                    if (e == null) {
                        return null;
                    }
                    elements.add(e);
                }
                return CodeBlock.of("$T.of($L)", LIST, CodeBlock.join(elements, ", "));
            }
            case SCALAR:
                break;
            default:
                return null;
        }
        TypeName t = use.plain();
        try {
            if (t.equals(STRING) && value.isTextual()) {
                return CodeBlock.of("$S", value.textValue());
            }
            if (t.equals(LONG) && value.isIntegralNumber() && value.canConvertToLong()) {
                return CodeBlock.of("$LL", value.longValue());
            }
            if (t.equals(BOOLEAN) && value.isBoolean()) {
                return CodeBlock.of("$L", value.booleanValue());
            }
            if (t.equals(BIG_DECIMAL) && value.isNumber()) {
                return CodeBlock.of("new $T($S)", BIG_DECIMAL, value.decimalValue().toPlainString());
            }
            if (t.equals(INSTANT) && value.isTextual()) {
                java.time.Instant.parse(value.textValue());
                return CodeBlock.of("$T.parse($S)", INSTANT, value.textValue());
            }
            if (t.equals(LOCAL_DATE) && value.isTextual()) {
                java.time.LocalDate.parse(value.textValue());
                return CodeBlock.of("$T.parse($S)", LOCAL_DATE, value.textValue());
            }
            if (t.equals(UUID) && value.isTextual()) {
                java.util.UUID.fromString(value.textValue());
                return CodeBlock.of("$T.fromString($S)", UUID, value.textValue());
            }
            if (t.equals(URI) && value.isTextual()) {
                java.net.URI.create(value.textValue());
                return CodeBlock.of("$T.create($S)", URI, value.textValue());
            }
        } catch (RuntimeException e) {
            return null;
        }
        return null;
    }

}
