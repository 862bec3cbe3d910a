package dev.herald.schema;

import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The JSON Schema drafts and the keywords each one defines. A keyword outside its schema's draft
 * is not a keyword there: validators of that draft ignore it, so a tool reading it anyway reads
 * a schema nobody else reads. The compatibility checker uses this to read each schema by the
 * rules of the draft it declares (and to treat a schema that declares none as Herald's own:
 * 2020-12, with draft-07's forms still understood).
 */
public enum Dialect {
    DRAFT_04("draft 4", List.of("json-schema.org/draft-04/schema"),
            Set.of("id", "$ref", "definitions", "title", "description", "default", "multipleOf", "maximum",
                    "exclusiveMaximum", "minimum", "exclusiveMinimum", "maxLength", "minLength", "pattern", "additionalItems",
                    "items", "maxItems", "minItems", "uniqueItems", "maxProperties", "minProperties", "required",
                    "additionalProperties", "properties", "patternProperties", "dependencies", "enum", "type", "allOf", "anyOf",
                    "oneOf", "not", "format")),
    DRAFT_06("draft 6", List.of("json-schema.org/draft-06/schema"),
            plus(DRAFT_04, Set.of("$id", "const", "contains", "propertyNames", "examples"), Set.of("id"))),
    DRAFT_07("draft 7", List.of("json-schema.org/draft-07/schema"),
            plus(DRAFT_06, Set.of("$comment", "if", "then", "else", "readOnly", "writeOnly", "contentEncoding", "contentMediaType"),
                    Set.of())),
    DRAFT_2019_09("draft 2019-09", List.of("json-schema.org/draft/2019-09/schema"),
            plus(DRAFT_07, Set.of("$anchor", "$recursiveRef", "$recursiveAnchor", "$vocabulary", "$defs", "dependentSchemas",
                    "dependentRequired", "unevaluatedItems", "unevaluatedProperties", "maxContains", "minContains", "deprecated",
                    "contentSchema"), Set.of("definitions", "dependencies"))),
    DRAFT_2020_12("draft 2020-12", List.of("json-schema.org/draft/2020-12/schema"),
            plus(DRAFT_2019_09, Set.of("$dynamicRef", "$dynamicAnchor", "prefixItems"),
                    Set.of("$recursiveRef", "$recursiveAnchor", "additionalItems")));

    /** The drafts Herald reads, oldest first. */
    public static final List<Dialect> ALL = List.of(values());

    private final String label;
    private final List<String> uris;
    private final Set<String> keywords;

    Dialect(String label, List<String> uris, Set<String> keywords) {
        this.label = label;
        this.uris = uris;
        Set<String> all = new HashSet<>(keywords);
        all.add("$schema");
        this.keywords = Set.copyOf(all);
    }

    private static Set<String> plus(Dialect base, Set<String> added, Set<String> removed) {
        Set<String> s = new HashSet<>(base.keywords);
        s.addAll(added);
        s.removeAll(removed);
        return s;
    }

    /** "draft 2020-12". */
    public String label() {
        return label;
    }

    /** Every keyword this draft defines, validating or annotating. */
    public Set<String> keywords() {
        return keywords;
    }

    public boolean has(String keyword) {
        return keywords.contains(keyword);
    }

    /**
     * Whether {@code items} may be an array (a tuple) and {@code additionalItems} then governs the
     * rest: drafts 4 to 2019-09. 2020-12 writes tuples with {@code prefixItems}.
     */
    public boolean tupleItems() {
        return this != DRAFT_2020_12;
    }

    /** Whether keywords next to a {@code $ref} apply (2019-09 on); before, a {@code $ref} replaces its object. */
    public boolean refSiblingsApply() {
        return compareTo(DRAFT_2019_09) >= 0;
    }

    /**
     * The draft a {@code $schema} value names, by its URI with or without scheme, "www." or a
     * trailing "#"; empty when it names none Herald knows.
     */
    public static Optional<Dialect> of(String schemaUri) {
        return KNOWN.computeIfAbsent(schemaUri, Dialect::parse);
    }

    /** $schema values seen so far: a registry repeats one or two thousands of times. */
    private static final java.util.concurrent.ConcurrentMap<String, Optional<Dialect>> KNOWN = new java.util.concurrent.ConcurrentHashMap<>();

    private static Optional<Dialect> parse(String schemaUri) {
        String u = schemaUri.trim();
        u = u.replaceFirst("^https?://", "").replaceFirst("^www\\.", "");
        if (u.endsWith("#")) {
            u = u.substring(0, u.length() - 1);
        }
        for (Dialect d : ALL) {
            if (d.uris.contains(u)) {
                return Optional.of(d);
            }
        }
        return Optional.empty();
    }
}
