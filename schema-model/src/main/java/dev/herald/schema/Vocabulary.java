package dev.herald.schema;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The one place that says which JSON Schema keywords Herald knows, of which kind, and which Java
 * type a value becomes. The loader, the compatibility checker and the generator all read it, so
 * that a {@code format} the generator maps to {@code Instant} is {@code Instant} in the checker's
 * {@code JAVA_TYPE_CHANGED} message too, and an annotation keyword one part ignores is ignored by
 * every part. A new format or keyword is one line here (plus its tests).
 */
public final class Vocabulary {

    private Vocabulary() {
    }

    /** Keywords that annotate and never validate: no Java type, no constraint, no compatibility change. */
    public static final Set<String> ANNOTATIONS = Set.of("$schema", "$comment", "$anchor", "$defs", "title",
            "description", "examples", "deprecated", "default", "readOnly", "writeOnly");

    /** Herald's own keywords (validators treat them as annotations). */
    public static final String X_OWNER = "x-owner";
    public static final String X_ALIASES = "x-aliases";
    public static final String X_RESERVED = "x-reserved";
    /** On an enum: the Java constant of each value, in order (an override of the derived names). */
    public static final String X_ENUM_VARNAMES = "x-enum-varnames";
    /** On a property: its Java component name (an override of the derived name). */
    public static final String X_JAVA_NAME = "x-java-name";
    public static final List<String> HERALD_KEYWORDS = List.of(X_OWNER, X_ALIASES, X_RESERVED, X_ENUM_VARNAMES, X_JAVA_NAME);

    /** Validation keywords by the type of value they apply to. */
    public static final Map<String, Set<String>> KEYWORDS_BY_TYPE = Map.of(
            "string", Set.of("type", "enum", "const", "format", "minLength", "maxLength", "pattern"),
            "integer", Set.of("type", "enum", "const", "format", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum",
                    "multipleOf"),
            "number", Set.of("type", "enum", "const", "format", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum",
                    "multipleOf"),
            "boolean", Set.of("type", "const"),
            "array", Set.of("type", "items", "minItems", "maxItems", "uniqueItems"),
            "object", Set.of("type", "properties", "required", "additionalProperties", "minProperties",
                    "maxProperties"));

    /** Keywords that combine or condition schemas. */
    public static final Set<String> APPLICATORS = Set.of("allOf", "anyOf", "oneOf", "not", "if", "then", "else",
            "dependentSchemas", "prefixItems", "contains", "patternProperties", "propertyNames",
            "unevaluatedItems", "unevaluatedProperties");

    /**
     * Every keyword of JSON Schema drafts 4 to 2020-12, validating or not: a keyword outside it
     * (and outside {@link #HERALD_KEYWORDS}) belongs to another tool.
     */
    public static final Set<String> ALL_DRAFT_KEYWORDS = Dialect.ALL.stream()
            .flatMap(d -> d.keywords().stream()).collect(java.util.stream.Collectors.toUnmodifiableSet());

    /** Keywords whose value is a schema, a list of schemas, or a map of names to schemas (drafts 4 to 2020-12). */
    public static final Set<String> SCHEMA_VALUED = Set.of("items", "additionalItems", "contains",
            "additionalProperties", "propertyNames", "if", "then", "else", "not", "unevaluatedItems", "unevaluatedProperties",
            "contentSchema", "prefixItems", "allOf", "anyOf", "oneOf", "properties", "patternProperties", "$defs", "definitions",
            "dependentSchemas", "dependencies");

    /**
     * The string formats a validator checks when format assertion is on, as Herald runs it
     * (networknt, draft 2020-12): a value that breaks one is refused at the broker, so the
     * generated record refuses it at send and on receipt too. A format outside this list is an
     * annotation: the value is a plain {@code String}, checked by nobody.
     */
    public static final Set<String> ASSERTED_FORMATS = Set.of("date-time", "date", "time", "duration", "email",
            "idn-email", "hostname", "idn-hostname", "ipv4", "ipv6", "uri", "uri-reference", "iri", "iri-reference",
            "uri-template", "json-pointer", "relative-json-pointer", "regex", "uuid");

    /** Number formats (OpenAPI's) that carry no rule JSON Schema checks; the Java type holds them all. */
    public static final Map<String, Set<String>> NUMERIC_FORMATS = Map.of(
            "integer", Set.of("int32", "int64"),
            "number", Set.of("float", "double", "decimal"));

    /** A Java type, by package and simple name (no dependency on a code model). */
    public record JavaType(String packageName, String simpleName) {
        public String qualifiedName() {
            return packageName + "." + simpleName;
        }

        @Override
        public String toString() {
            return simpleName;
        }
    }

    public static final JavaType STRING = new JavaType("java.lang", "String");
    public static final JavaType LONG = new JavaType("java.lang", "Long");
    public static final JavaType BOOLEAN = new JavaType("java.lang", "Boolean");
    public static final JavaType BIG_DECIMAL = new JavaType("java.math", "BigDecimal");

    /** The formats whose values are typed in Java: parsing is the check. */
    private static final Map<String, JavaType> TYPED_FORMATS = Map.of(
            "date-time", new JavaType("java.time", "Instant"),
            "date", new JavaType("java.time", "LocalDate"),
            "uuid", new JavaType("java.util", "UUID"),
            "uri", new JavaType("java.net", "URI"));

    /** The Java type of a scalar of JSON type {@code type} ({@code string}, {@code integer}, {@code number}, {@code boolean}) and {@code format} (may be null). */
    public static Optional<JavaType> scalarType(String type, String format) {
        return switch (type) {
            case "string" -> Optional.of(format == null ? STRING : TYPED_FORMATS.getOrDefault(format, STRING));
            case "integer" -> Optional.of(LONG);
            case "number" -> Optional.of(BIG_DECIMAL);
            case "boolean" -> Optional.of(BOOLEAN);
            default -> Optional.empty();
        };
    }

    /** Whether a string of {@code format} is a plain String the generated code checks with the validator's own format rule. */
    public static boolean checkedAsString(String format) {
        return format != null && ASSERTED_FORMATS.contains(format) && !TYPED_FORMATS.containsKey(format);
    }
}
