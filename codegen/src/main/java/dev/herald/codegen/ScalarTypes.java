package dev.herald.codegen;

import static dev.herald.codegen.TypeResolver.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.palantir.javapoet.AnnotationSpec;
import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.TypeName;
import dev.herald.codegen.Model.Kind;
import dev.herald.codegen.Model.TypeUse;
import dev.herald.schema.SchemaDocument;
import dev.herald.schema.Vocabulary;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.PatternSyntaxException;

/**
 * Strings, integers, numbers and booleans: their Java type (from the {@link Vocabulary}) and the
 * Jakarta constraints their keywords become (lengths, patterns, bounds, constants, formats).
 */
final class ScalarTypes {

    private final TypeResolver.ProblemSink problems;

    ScalarTypes(TypeResolver.ProblemSink problems) {
        this.problems = problems;
    }

    private void problem(SchemaDocument doc, String pointer, String message, String fix) {
        problems.add(doc, pointer, message, fix);
    }

    TypeUse string(SchemaDocument doc, String pointer, JsonNode s) {
        String format = text(s.get("format"));
        List<AnnotationSpec> constraints = new ArrayList<>();
        ClassName type = stringClass(format);
        if (Vocabulary.checkedAsString(format)) {
            // the broker asserts it: the record checks it with the very same rule
            constraints.add(AnnotationSpec.builder(SCHEMA_FORMAT).addMember("value", "$S", format).build());
        }
        if (!type.equals(STRING)) {
            for (String keyword : List.of("minLength", "maxLength", "pattern")) {
                if (s.has(keyword)) {
                    problem(doc, pointer + "/" + keyword, "\"" + keyword + "\" cannot apply to a " + format
                                    + " value, which is generated as " + type.simpleName(),
                            "remove it: the format already fixes the shape of the value");
                    return error(s);
                }
            }
        }
        Long min = nonNegativeInt(doc, pointer, s, "minLength");
        Long max = nonNegativeInt(doc, pointer, s, "maxLength");
        // string lengths count code points, as JSON Schema does; @Size would count UTF-16 units
        lengthConstraint(CODE_POINT_LENGTH, min, max).ifPresent(constraints::add);
        if (s.has("const")) {
            if (!s.get("const").isTextual()) {
                problem(doc, pointer + "/const", "the const " + s.get("const") + " is not a string, but the value is",
                        "write the const as a string, or change \"type\"");
                return error(s);
            }
            if (!type.equals(STRING)) {
                // the one allowed value says more than the format: a String holding exactly it
                type = STRING;
                constraints.removeIf(a -> a.type().equals(SCHEMA_FORMAT));
            }
            // the one allowed value, as a literal full match
            constraints.add(AnnotationSpec.builder(PATTERN)
                    .addMember("regexp", "$S", java.util.regex.Pattern.quote(s.get("const").textValue())).build());
        }
        if (s.has("pattern")) {
            String pattern = s.get("pattern").asText();
            try {
                constraints.add(AnnotationSpec.builder(PATTERN)
                        .addMember("regexp", "$S", Patterns.toFullMatch(pattern)).build());
            } catch (PatternSyntaxException e) {
                problem(doc, pointer + "/pattern", "the pattern does not compile as a Java regular expression: "
                        + e.getDescription(), "write a pattern both ECMA-262 and java.util.regex accept");
            }
        }
        return new TypeUse(type, type, null, List.copyOf(constraints), Kind.SCALAR, false, null, null, s);
    }

    Long nonNegativeInt(SchemaDocument doc, String pointer, JsonNode s, String keyword) {
        JsonNode n = s.get(keyword);
        if (n == null) {
            return null;
        }
        if (!n.isIntegralNumber() || n.bigIntegerValue().signum() < 0
                || n.bigIntegerValue().compareTo(BigInteger.valueOf(Integer.MAX_VALUE)) > 0) {
            problem(doc, pointer + "/" + keyword, "\"" + keyword + "\" must be a non-negative integer",
                    "write a whole number such as 1");
            return null;
        }
        return n.longValue();
    }

    /** OpenAPI's integer and number formats carry no rule JSON Schema checks; the Java type holds them all. */
    private boolean numericFormat(SchemaDocument doc, String pointer, JsonNode s, Set<String> allowed) {
        String format = text(s.get("format"));
        if (format != null && !allowed.contains(format)) {
            problem(doc, pointer + "/format", "format \"" + format + "\" has no Java mapping for a number",
                    "remove it, or use " + String.join(" / ", new java.util.TreeSet<>(allowed)));
            return false;
        }
        return true;
    }

    TypeUse bool(SchemaDocument doc, String pointer, JsonNode s) {
        List<AnnotationSpec> constraints = new ArrayList<>();
        JsonNode c = s.get("const");
        if (c != null) {
            if (!c.isBoolean()) {
                problem(doc, pointer + "/const", "the const " + c + " is not a boolean, but the value is",
                        "write true or false, or change \"type\"");
                return error(s);
            }
            constraints.add(AnnotationSpec.builder(c.booleanValue() ? ASSERT_TRUE : ASSERT_FALSE).build());
        }
        return new TypeUse(BOOLEAN, BOOLEAN, TypeName.BOOLEAN, List.copyOf(constraints), Kind.SCALAR, false, null, null, s);
    }

    TypeUse integer(SchemaDocument doc, String pointer, JsonNode s) {
        if (!numericFormat(doc, pointer, s, Vocabulary.NUMERIC_FORMATS.get("integer"))) {
            return error(s);
        }
        List<AnnotationSpec> constraints = new ArrayList<>();
        bound(doc, pointer, s, "minimum", true, false, true, constraints);
        bound(doc, pointer, s, "exclusiveMinimum", true, true, true, constraints);
        bound(doc, pointer, s, "maximum", false, false, true, constraints);
        bound(doc, pointer, s, "exclusiveMaximum", false, true, true, constraints);
        constBounds(doc, pointer, s, true, constraints);
        if (s.has("multipleOf") && !(s.get("multipleOf").isNumber()
                && s.get("multipleOf").decimalValue().compareTo(BigDecimal.ONE) == 0)) {
            problem(doc, pointer + "/multipleOf", "multipleOf " + s.get("multipleOf")
                    + " on an integer has no Jakarta constraint", "remove it and check the rule in the consumer");
        }
        return new TypeUse(LONG, LONG, TypeName.LONG, List.copyOf(constraints), Kind.SCALAR, false, null, null, s);
    }

    TypeUse number(SchemaDocument doc, String pointer, JsonNode s) {
        if (!numericFormat(doc, pointer, s, Vocabulary.NUMERIC_FORMATS.get("number"))) {
            return error(s);
        }
        List<AnnotationSpec> constraints = new ArrayList<>();
        bound(doc, pointer, s, "minimum", true, false, false, constraints);
        bound(doc, pointer, s, "exclusiveMinimum", true, true, false, constraints);
        bound(doc, pointer, s, "maximum", false, false, false, constraints);
        bound(doc, pointer, s, "exclusiveMaximum", false, true, false, constraints);
        constBounds(doc, pointer, s, false, constraints);
        JsonNode multipleOf = s.get("multipleOf");
        if (multipleOf != null) {
            BigDecimal m = multipleOf.isNumber() ? multipleOf.decimalValue().stripTrailingZeros() : null;
            if (m != null && m.unscaledValue().equals(BigInteger.ONE) && m.scale() >= 0) {
                constraints.add(AnnotationSpec.builder(DIGITS).addMember("integer", "$L", Integer.MAX_VALUE)
                        .addMember("fraction", "$L", m.scale()).build());
            } else {
                problem(doc, pointer + "/multipleOf", "multipleOf " + multipleOf
                                + " has no Jakarta constraint (only 1, 0.1, 0.01, ... map to @Digits)",
                        "use a power of ten such as 0.01, or check the rule in the consumer");
            }
        }
        return new TypeUse(BIG_DECIMAL, BIG_DECIMAL, null, List.copyOf(constraints), Kind.SCALAR, false, null,
                null, s);
    }

    /** A numeric const is the one value both bounds allow. */
    private void constBounds(SchemaDocument doc, String pointer, JsonNode s, boolean integer, List<AnnotationSpec> out) {
        JsonNode c = s.get("const");
        if (c == null) {
            return;
        }
        if (!c.isNumber() || (integer && !(c.isIntegralNumber() || c.decimalValue().stripTrailingZeros().scale() <= 0))) {
            problem(doc, pointer + "/const", "the const " + c + " is not " + (integer ? "an integer" : "a number") + ", but the value is",
                    "write the const as " + (integer ? "a whole number" : "a number") + ", or change \"type\"");
            return;
        }
        com.fasterxml.jackson.databind.node.ObjectNode bounds = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
        bounds.set("minimum", c);
        bounds.set("maximum", c);
        bound(doc, pointer + "/const", bounds, "minimum", true, false, integer, out);
        bound(doc, pointer + "/const", bounds, "maximum", false, false, integer, out);
    }

    private void bound(SchemaDocument doc, String pointer, JsonNode s, String keyword, boolean lower,
                       boolean exclusive, boolean integer, List<AnnotationSpec> out) {
        JsonNode n = s.get(keyword);
        if (n == null) {
            return;
        }
        if (!n.isNumber()) {
            problem(doc, pointer + "/" + keyword, "\"" + keyword + "\" must be a number",
                    "write a number; draft 2020-12 has no boolean exclusiveMinimum");
            return;
        }
        BigDecimal value = n.decimalValue();
        boolean integral = value.stripTrailingZeros().scale() <= 0;
        if (integer && integral) {
            BigInteger v = value.toBigIntegerExact();
            if (exclusive) {
                v = lower ? v.add(BigInteger.ONE) : v.subtract(BigInteger.ONE);
            }
            if (v.bitLength() < 64) {
                out.add(AnnotationSpec.builder(lower ? MIN : MAX).addMember("value", "$LL", v).build());
                return;
            }
        }
        AnnotationSpec.Builder b = AnnotationSpec.builder(lower ? DECIMAL_MIN : DECIMAL_MAX)
                .addMember("value", "$S", value.toPlainString());
        if (exclusive) {
            b.addMember("inclusive", "false");
        }
        out.add(b.build());
    }

    /** {@code @Size(min, max)} for an item or property count; nothing when unbounded (a minimum of 0 is no bound). */
    static java.util.Optional<AnnotationSpec> sizeConstraint(Long min, Long max) {
        return lengthConstraint(TypeResolver.SIZE, min, max);
    }

    private static java.util.Optional<AnnotationSpec> lengthConstraint(ClassName annotation, Long min, Long max) {
        if ((min == null || min == 0) && max == null) {
            return java.util.Optional.empty();
        }
        AnnotationSpec.Builder size = AnnotationSpec.builder(annotation);
        if (min != null && min > 0) {
            size.addMember("min", "$L", min);
        }
        if (max != null) {
            size.addMember("max", "$L", max);
        }
        return java.util.Optional.of(size.build());
    }
}
