package dev.herald.codegen;

import com.fasterxml.jackson.databind.JsonNode;
import com.palantir.javapoet.AnnotationSpec;
import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.ParameterizedTypeName;
import com.palantir.javapoet.TypeName;
import dev.herald.codegen.Model.EnumModel;
import dev.herald.codegen.Model.FieldModel;
import dev.herald.codegen.Model.Kind;
import dev.herald.codegen.Model.RecordModel;
import dev.herald.codegen.Model.TypeUse;
import dev.herald.codegen.Model.UnionModel;
import dev.herald.schema.EventDef;
import dev.herald.schema.Names;
import dev.herald.schema.Problem;
import dev.herald.schema.Registry;
import dev.herald.schema.RegistryException;
import dev.herald.schema.ResolvedRef;
import dev.herald.schema.SchemaDocument;
import dev.herald.schema.TypeDef;
import dev.herald.schema.Vocabulary;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Walks the registry's schemas and decides every Java type: the mapping rules of the generator
 * live here (docs/codegen.md lists them). Anything it cannot express becomes a {@link Problem}
 * with the file, line, pointer and a fix; all problems are collected before failing.
 */
final class TypeResolver {

    static final ClassName LIST = ClassName.get("java.util", "List");
    static final ClassName MAP = ClassName.get("java.util", "Map");
    // the Java types of values come from the vocabulary (schema-model), shared with the checker
    static final ClassName STRING = javaClass(Vocabulary.STRING);
    static final ClassName LONG = javaClass(Vocabulary.LONG);
    static final ClassName BOOLEAN = javaClass(Vocabulary.BOOLEAN);
    static final ClassName BIG_DECIMAL = javaClass(Vocabulary.BIG_DECIMAL);
    static final ClassName INSTANT = stringClass("date-time");
    static final ClassName LOCAL_DATE = stringClass("date");
    static final ClassName UUID = stringClass("uuid");
    static final ClassName URI = stringClass("uri");

    static final ClassName JSON_NODE = ClassName.get("com.fasterxml.jackson.databind", "JsonNode");
    static final ClassName VALID = ClassName.get("jakarta.validation", "Valid");
    static final ClassName NULL = ClassName.get("jakarta.validation.constraints", "Null");
    static final ClassName NOT_NULL = ClassName.get("jakarta.validation.constraints", "NotNull");
    static final ClassName SIZE = ClassName.get("jakarta.validation.constraints", "Size");
    static final ClassName PATTERN = ClassName.get("jakarta.validation.constraints", "Pattern");
    static final ClassName MIN = ClassName.get("jakarta.validation.constraints", "Min");
    static final ClassName MAX = ClassName.get("jakarta.validation.constraints", "Max");
    static final ClassName DECIMAL_MIN = ClassName.get("jakarta.validation.constraints", "DecimalMin");
    static final ClassName DECIMAL_MAX = ClassName.get("jakarta.validation.constraints", "DecimalMax");
    static final ClassName DIGITS = ClassName.get("jakarta.validation.constraints", "Digits");
    static final ClassName ASSERT_TRUE = ClassName.get("jakarta.validation.constraints", "AssertTrue");
    static final ClassName ASSERT_FALSE = ClassName.get("jakarta.validation.constraints", "AssertFalse");
    static final ClassName SCHEMA_FORMAT = ClassName.get("dev.herald.runtime.validation", "SchemaFormat");
    static final ClassName UNIQUE_ELEMENTS = ClassName.get("org.hibernate.validator.constraints", "UniqueElements");
    static final ClassName KNOWN_ENUM_VALUE = ClassName.get("dev.herald.runtime.validation", "KnownEnumValue");
    static final ClassName CODE_POINT_LENGTH = ClassName.get("dev.herald.runtime.validation", "CodePointLength");

    static final ClassName JSON_PROPERTY = ClassName.get("com.fasterxml.jackson.annotation", "JsonProperty");
    static final ClassName JSON_ALIAS = ClassName.get("com.fasterxml.jackson.annotation", "JsonAlias");
    static final ClassName JSON_INCLUDE = ClassName.get("com.fasterxml.jackson.annotation", "JsonInclude");

    private static final Map<String, Set<String>> KEYWORDS_BY_TYPE = Vocabulary.KEYWORDS_BY_TYPE;

    static ClassName javaClass(Vocabulary.JavaType t) {
        return ClassName.get(t.packageName(), t.simpleName());
    }

    static ClassName stringClass(String format) {
        return javaClass(Vocabulary.scalarType("string", format).orElseThrow());
    }

    /** What to do instead, for the keywords the generator refuses. */
    private static final Map<String, String> FIXES = Map.ofEntries(
            Map.entry("oneOf", "a oneOf standing alone (no validating keyword beside it) becomes a sealed union: move the other "
                    + "keywords into its branches"),
            Map.entry("anyOf", "an anyOf standing alone (no validating keyword beside it) becomes a sealed union: move the other "
                    + "keywords into its branches"),
            Map.entry("not", "express the rule positively (enum, pattern, bounds) or check it in the consumer"),
            Map.entry("if", "split the conditional shapes into separate optional properties or events"),
            Map.entry("then", "split the conditional shapes into separate optional properties or events"),
            Map.entry("else", "split the conditional shapes into separate optional properties or events"),
            Map.entry("const", "a const can be generated on a string, an integer, a number or a boolean; use an enum or bounds"),
            Map.entry("patternProperties", "use \"additionalProperties\" with a schema (a Map) or named properties"),
            Map.entry("propertyNames", "constrain the keys in the consumer, or use named properties"),
            Map.entry("dependentRequired", "make the properties required, or group them into a nested object"),
            Map.entry("dependentSchemas", "group the dependent properties into a nested object"),
            Map.entry("unevaluatedProperties", "use \"additionalProperties\": false"),
            Map.entry("unevaluatedItems", "describe the elements with \"items\""),
            Map.entry("prefixItems", "use an object with named properties instead of a tuple"),
            Map.entry("contains", "check the rule in the consumer; Herald cannot express it as a Java constraint"),
            Map.entry("minContains", "check the rule in the consumer"),
            Map.entry("maxContains", "check the rule in the consumer"),
            Map.entry("contentEncoding", "remove it; the value is generated as a plain String"),
            Map.entry("contentMediaType", "remove it; the value is generated as a plain String"),
            Map.entry("$dynamicRef", "use \"$ref\""),
            Map.entry("$id", "remove \"$id\"; Herald resolves \"$ref\" by relative file paths"));

    private static final Set<String> RECORD_RESERVED = Set.of("clone", "finalize", "getClass", "hashCode",
            "notify", "notifyAll", "toString", "wait", "equals");

    private final Registry registry;
    private final String javaPackage;
    private final List<Problem> problems = new ArrayList<>();
    /** Named (record/enum) and scalar shared uses by "document#pointer". */
    private final Map<String, TypeUse> byLocation = new HashMap<>();
    private final Map<String, RecordModel> recordsByLocation = new HashMap<>();
    private final Set<String> inProgress = new HashSet<>();
    private final Map<String, Model.Declared> topLevel = new TreeMap<>();
    private final Map<String, String> topLevelOrigin = new HashMap<>();
    private final Set<ClassName> deprecatedTypes = new HashSet<>();
    private final Map<String, EventDef> latestEventByDocument = new HashMap<>();
    private final Map<String, TypeDef> typeByDocument = new HashMap<>();
    private final Set<String> shadowing;
    private final ScalarTypes scalars = new ScalarTypes(this::problem);
    private final DefaultValues defaults = new DefaultValues(this::problem);

    TypeResolver(Registry registry, String javaPackage) {
        this.registry = registry;
        this.javaPackage = javaPackage;
        this.shadowing = ShadowingNames.of(registry);
        for (EventDef event : registry.events()) {
            latestEventByDocument.put(event.latest().document().relativePath(), event);
        }
        for (TypeDef type : registry.types()) {
            typeByDocument.put(type.document().relativePath(), type);
        }
    }

    /** Every top-level type (RecordModel or EnumModel) by simple name; problems collected meanwhile. */
    Map<String, Model.Declared> resolve() {
        reserveTopLevel("EventType", "the generated EventType enum");
        reserveTopLevel("ServiceName", "the generated ServiceName enum");
        // nested in generated records and unions: a top-level type of that name would be shadowed there
        reserveTopLevel("Builder", "the builder nested in every generated record with one");
        reserveTopLevel("Reader", "the reader nested in every generated union");
        for (TypeDef type : registry.types()) {
            sharedType(type);
        }
        for (EventDef event : registry.events()) {
            eventRecord(event);
        }
        return topLevel;
    }

    List<Problem> problems() {
        return List.copyOf(new LinkedHashSet<>(problems));
    }

    Set<ClassName> deprecatedTypes() {
        return deprecatedTypes;
    }

    // ---------------------------------------------------------------- roots

    private void reserveTopLevel(String name, String origin) {
        topLevelOrigin.put(name, origin);
    }

    private boolean claimTopLevel(String name, SchemaDocument doc, String pointer) {
        String origin = topLevelOrigin.get(name);
        if (origin != null) {
            problem(doc, pointer, "the generated type name " + name + " is already taken by " + origin,
                    "rename the file or give the schema another \"title\"");
            return false;
        }
        topLevelOrigin.put(name, doc.relativePath() + "#" + pointer);
        return true;
    }

    private TypeUse sharedType(TypeDef type) {
        if (isDefinitionsOnly(type.document().root())) {
            // a file that only groups $defs has no type of its own; its definitions are generated where used
            return error(type.document().root());
        }
        return rootUse(type.document(), type.javaName());
    }

    private static boolean isDefinitionsOnly(JsonNode root) {
        if (!root.isObject() || !root.has("$defs")) {
            return false;
        }
        for (var it = root.fieldNames(); it.hasNext(); ) {
            String keyword = it.next();
            if (!keyword.equals("$defs") && !keyword.startsWith("$") && !keyword.equals("title")
                    && !keyword.equals("description")) {
                return false;
            }
        }
        return true;
    }

    private TypeUse eventRecord(EventDef event) {
        SchemaDocument doc = event.latest().document();
        JsonNode root = doc.root();
        String key = key(doc, "");
        TypeUse done = byLocation.get(key);
        if (done != null) {
            return done;
        }
        String unionKeyword = unionOf(root);
        if (unionKeyword != null) {
            return eventUnion(event, doc, root, unionKeyword);
        }
        JsonNode shape = root;
        if (root.has("allOf")) {
            // a base event type plus this event's own properties: one record
            AllOfMerger.Result merged = new AllOfMerger(registry).merge(doc, "", root);
            if (merged.merged() == null) {
                problems.addAll(merged.problems());
                return error(root);
            }
            shape = merged.merged();
        }
        if (!"object".equals(text(shape.get("type"))) || root.has("$ref")) {
            problem(doc, root.has("type") ? "/type" : "", "an event's schema must be an object (\"type\": \"object\")",
                    "describe the event's payload as an object with properties");
            return error(root);
        }
        ClassName name = ClassName.get(javaPackage, event.javaName());
        claimTopLevel(name.simpleName(), doc, "");
        RecordModel record = new RecordModel(name, doc, "");
        record.event = event;
        record.eventVersion = event.latest();
        TypeUse use = recordUse(record, root);
        topLevel.put(name.simpleName(), record);
        fillRecord(record, doc, "", shape);
        return use;
    }

    /**
     * An event whose payload is one of several shapes: a sealed interface named after the event,
     * extending {@code HeraldEvent}, whose branch records (named after the event) implement it.
     */
    private TypeUse eventUnion(EventDef event, SchemaDocument doc, JsonNode root, String keyword) {
        com.fasterxml.jackson.databind.node.ObjectNode named = root.deepCopy();
        named.put("title", event.javaName()); // the event's type name, whatever the schema's title says
        eventUnionPrefix = event.javaName();
        try {
            TypeUse use = union(doc, "", named, keyword, null, event.javaName());
            if (use.kind() == Kind.UNION && topLevel.get(event.javaName()) instanceof UnionModel model) {
                model.event = event;
            } else if (use.kind() != Kind.ERROR) {
                problem(doc, "/" + keyword, "an event's payload must be objects: this " + keyword + " has other branches",
                        "make every branch an object");
                return error(root);
            }
            return use;
        } finally {
            eventUnionPrefix = null;
        }
    }

    /** While an event's root union is resolved: the prefix of its top-level branch names, so that two events' branches never clash. */
    private String eventUnionPrefix;

    /** The root of a types/ file: a top-level record or enum, or an inlined scalar. */
    private TypeUse rootUse(SchemaDocument doc, String javaName) {
        String key = key(doc, "");
        TypeUse done = byLocation.get(key);
        if (done != null) {
            return done;
        }
        JsonNode root = doc.root();
        if (isRecordShape(root) || isEnumShape(root)) {
            ClassName name = ClassName.get(javaPackage, javaName);
            claimTopLevel(javaName, doc, "");
            return named(doc, "", root, name, null);
        }
        if (!inProgress.add(key)) {
            problem(doc, "", "circular $ref through " + doc.relativePath(), "break the cycle with an object");
            return error(root);
        }
        try {
            TypeUse use = map(doc, "", root, null, javaName);
            byLocation.put(key, use);
            return use;
        } finally {
            inProgress.remove(key);
        }
    }

    private static boolean isRecordShape(JsonNode s) {
        return s.isObject() && !s.has("$ref") && s.has("properties")
                && !s.path("additionalProperties").isObject();
    }

    private static boolean isEnumShape(JsonNode s) {
        return s.isObject() && !s.has("$ref") && s.has("enum");
    }

    /** Declares a named record or enum at a location (so recursion finds it), then fills it. */
    private TypeUse named(SchemaDocument doc, String pointer, JsonNode s, ClassName name, RecordModel home) {
        String key = key(doc, pointer);
        if (isEnumShape(s)) {
            EnumModel model = new EnumModel(name, doc, pointer);
            TypeUse use = enumUse(model, s);
            byLocation.put(key, use);
            attach(home, name, model);
            fillEnum(model, doc, pointer, s);
            return use;
        }
        RecordModel record = new RecordModel(name, doc, pointer);
        TypeUse use = recordUse(record, s);
        attach(home, name, record);
        fillRecord(record, doc, pointer, s);
        return use;
    }

    private void attach(RecordModel home, ClassName name, Model.Declared model) {
        if (home == null) {
            topLevel.put(name.simpleName(), model);
        } else {
            home.nested.add(model);
        }
    }

    private TypeUse recordUse(RecordModel record, JsonNode s) {
        TypeUse use = new TypeUse(record.name, record.name, null,
                List.of(AnnotationSpec.builder(VALID).build()), Kind.RECORD, false, null, null, s);
        String key = key(record.document, record.pointer);
        byLocation.put(key, use);
        recordsByLocation.put(key, record);
        return use;
    }

    private static TypeUse enumUse(EnumModel model, JsonNode s) {
        return new TypeUse(model.name, model.name, null, List.of(AnnotationSpec.builder(KNOWN_ENUM_VALUE).build()),
                Kind.ENUM, false, null, model, s);
    }

    // ---------------------------------------------------------------- the mapping

    /**
     * Maps the schema at {@code doc#pointer}. {@code home} receives nested records and enums
     * (null: top level); {@code nameHint} names them when the schema has no title.
     */
    private TypeUse map(SchemaDocument doc, String pointer, JsonNode s, RecordModel home, String nameHint) {
        if (s.isBoolean() && s.booleanValue()) {
            return anyValue(s); // true: any JSON value
        }
        if (!s.isObject()) {
            problem(doc, pointer, "the schema false allows no value at all",
                    "remove the property, or describe the value with \"type\"");
            return error(s);
        }
        if (s.has("$ref")) {
            return mapRef(doc, pointer, s);
        }
        String nullableOf = nullableUnion(s);
        if (nullableOf != null) {
            // oneOf/anyOf [X, {"type": "null"}]: a nullable X
            int branch = s.get(nullableOf).get(0).path("type").asText("").equals("null") ? 1 : 0;
            TypeUse use = map(doc, pointer + "/" + nullableOf + "/" + branch, s.get(nullableOf).get(branch), home, nameHint);
            return use.kind() == Kind.ERROR ? use : use.withNullable(true);
        }
        String unionKeyword = unionOf(s);
        if (unionKeyword != null) {
            return union(doc, pointer, s, unionKeyword, home, nameHint);
        }
        if (s.path("type").isArray() && onlyAnnotationsBesides(s, "type") && scalarTypes(s.get("type")) >= 2) {
            return union(doc, pointer, s, "type", home, nameHint);
        }
        if (s.has("allOf")) {
            return allOf(doc, pointer, s, home, nameHint);
        }
        if (isAnyValue(s)) {
            return anyValue(s);
        }
        TypeUse cached = byLocation.get(key(doc, pointer));
        if (cached != null) {
            return cached;
        }
        JsonNode typeNode = s.get("type");
        String type = null;
        boolean nullable = false;
        if (typeNode != null && typeNode.isArray()) {
            List<String> types = new ArrayList<>();
            typeNode.forEach(t -> types.add(t.asText()));
            nullable = types.remove("null");
            if (types.isEmpty() && nullable) {
                types.add("null");
                nullable = false;
            }
            if (types.size() != 1) {
                problem(doc, pointer + "/type", "a value of several types " + typeNode + " has no single Java type",
                        "use one type (optionally with \"null\"), or an object with one optional property per type");
                return error(s);
            }
            type = types.get(0);
        } else if (typeNode != null) {
            type = typeNode.asText();
        } else if (s.has("enum") || (s.has("const") && s.get("const").isTextual())) {
            type = "string";
        } else if (s.has("const") && s.get("const").isIntegralNumber()) {
            type = "integer";
        } else if (s.has("const") && s.get("const").isNumber()) {
            type = "number";
        } else if (s.has("const") && s.get("const").isBoolean()) {
            type = "boolean";
        } else if (s.has("properties")) {
            type = "object";
        }
        if ("null".equals(type) && !nullable) {
            // a value that can only be null: read as null, anything else refused
            return new TypeUse(ClassName.OBJECT, ClassName.OBJECT, null, List.of(AnnotationSpec.builder(NULL).build()), Kind.SCALAR,
                    true, null, null, s);
        }
        if (type == null) {
            boolean reported = false;
            for (var it = s.fieldNames(); it.hasNext(); ) {
                String keyword = it.next();
                if (FIXES.containsKey(keyword)) {
                    problem(doc, pointer + "/" + SchemaDocument.escape(keyword), "the generator cannot express \""
                            + keyword + "\" as Java types and constraints", FIXES.get(keyword));
                    reported = true;
                }
            }
            if (reported) {
                return error(s);
            }
            problem(doc, pointer, "the schema has no \"type\", so the generator would have to fall back to Object",
                    "add \"type\" (string, integer, number, boolean, array or object)");
            return error(s);
        }
        // mapped even when a keyword is refused, so that the problems inside it are reported in the same run
        boolean keywordsOk = checkKeywords(doc, pointer, s, type);
        TypeUse use = switch (type) {
            case "string" -> s.has("enum") ? enumType(doc, pointer, s, home, nameHint) : scalars.string(doc, pointer, s);
            case "integer", "number" -> s.has("enum") ? enumType(doc, pointer, s, home, nameHint)
                    : type.equals("integer") ? scalars.integer(doc, pointer, s) : scalars.number(doc, pointer, s);
            case "boolean" -> scalars.bool(doc, pointer, s);
            case "array" -> array(doc, pointer, s, home, nameHint);
            case "object" -> object(doc, pointer, s, home, nameHint);
            default -> {
                problem(doc, pointer + "/type", "type \"" + type + "\" has no Java mapping",
                        "use string, integer, number, boolean, array or object");
                yield error(s);
            }
        };
        if (!keywordsOk) {
            return error(s);
        }
        return nullable ? use.withNullable(true) : use;
    }

    /** A {@code oneOf}/{@code anyOf} with at least two non-null branches and nothing else that validates: its keyword. */
    private String unionOf(JsonNode s) {
        for (String k : List.of("oneOf", "anyOf")) {
            JsonNode branches = s.get(k);
            if (branches != null && branches.isArray() && (onlyAnnotationsBesides(s, k) || typeAgreesWithBranches(s, k))) {
                int nonNull = 0;
                for (JsonNode b : branches) {
                    nonNull += isNullSchema(b) ? 0 : 1;
                }
                if (nonNull >= 2) {
                    return k;
                }
            }
        }
        return null;
    }

    /** {@code {"type": "object", "oneOf": [objects...]}}: the type beside the union says what every branch says. */
    private boolean typeAgreesWithBranches(JsonNode s, String k) {
        for (var it = s.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            boolean noOp = key.equals("additionalProperties") && s.get(key).isBoolean() && s.get(key).booleanValue();
            if (!key.equals(k) && !key.equals("type") && !noOp && !registry.isAnnotation(key)) {
                return false;
            }
        }
        String type = s.path("type").asText(null);
        if (type == null) {
            return false;
        }
        for (JsonNode b : s.get(k)) {
            // each branch must say the same type itself ($ref branches are checked where they lead)
            if (!isNullSchema(b) && !b.has("$ref") && !type.equals(b.path("type").asText(null))) {
                return false;
            }
        }
        return true;
    }

    /** {@code "type": [..., "null"]}: the value may be null, whatever else it is. */
    private static boolean admitsNull(JsonNode s) {
        return s.path("type").isArray() && containsText(s.get("type"), "null");
    }

    private static boolean isNullSchema(JsonNode b) {
        return b.isObject() && b.path("type").asText("").equals("null");
    }

    private static int scalarTypes(JsonNode types) {
        int n = 0;
        for (JsonNode t : types) {
            n += Set.of("string", "integer", "number", "boolean").contains(t.asText()) ? 1 : 0;
        }
        return n == types.size() - (containsText(types, "null") ? 1 : 0) ? n : 0;
    }

    private static boolean containsText(JsonNode array, String value) {
        for (JsonNode t : array) {
            if (t.asText().equals(value)) {
                return true;
            }
        }
        return false;
    }

    /** A branch of a union, where its schema is (after a $ref). */
    private record Branch(SchemaDocument doc, String pointer, JsonNode node, JsonNode written, String writtenAt) {
    }

    /**
     * A union: a sealed interface whose branches are records (objects told apart by a
     * discriminator constant or by a required property only one branch has) or small value
     * records (scalars told apart by their JSON type). {@code type: [..]} of several scalar types
     * is a scalar union too. A null branch makes the union nullable.
     */
    private TypeUse union(SchemaDocument doc, String pointer, JsonNode s, String keyword, RecordModel home, String hint) {
        String key = key(doc, pointer);
        TypeUse done = byLocation.get(key);
        if (done != null) {
            return done;
        }
        boolean nullable = false;
        List<Branch> branches = new ArrayList<>();
        JsonNode written = s.get(keyword);
        for (int i = 0; i < written.size(); i++) {
            JsonNode b = keyword.equals("type") ? typeOnly(written.get(i).asText()) : written.get(i);
            String at = pointer + "/" + keyword + "/" + i;
            if (isNullSchema(b)) {
                nullable = true;
                continue;
            }
            if (b.isObject() && b.has("$ref")) {
                try {
                    ResolvedRef target = registry.resolve(doc, b.get("$ref").asText(), at + "/$ref");
                    branches.add(new Branch(target.document(), target.pointer(), target.node(), b, at));
                } catch (RegistryException e) {
                    problems.addAll(e.problems());
                    return error(s);
                }
            } else {
                branches.add(new Branch(doc, at, b, b, at));
            }
        }
        boolean objects = branches.stream().allMatch(b -> isRecordShape(b.node()));
        Set<String> kinds = Set.of("string", "integer", "number", "boolean", "array", "object");
        boolean byJsonType = branches.stream().allMatch(b -> b.node().isObject() && jsonKind(b.node()) != null
                && kinds.contains(jsonKind(b.node())));
        TypeUse use;
        if (objects) {
            use = objectUnion(doc, pointer, s, keyword, branches, home, hint);
        } else if (byJsonType) {
            use = scalarUnion(doc, pointer, s, keyword, branches, home, hint);
        } else {
            problem(doc, pointer + "/" + keyword, "the branches of this " + keyword + " mix objects and other values, or are not all"
                    + " described by a type", "give every branch a \"type\"; a union's branches are all objects (records) or all scalars");
            return error(s);
        }
        return nullable && use.kind() != Kind.ERROR ? use.withNullable(true) : use;
    }

    /** The JSON type a branch's values have: its type, {@code object} for a record shape. */
    private static String jsonKind(JsonNode n) {
        return isRecordShape(n) ? "object" : scalarType(n);
    }

    private static String scalarType(JsonNode n) {
        String t = n.path("type").asText(null);
        if (t == null && (n.has("enum") || n.path("const").isTextual())) {
            return "string";
        }
        return t;
    }

    private TypeUse objectUnion(SchemaDocument doc, String pointer, JsonNode s, String keyword, List<Branch> branches,
                                RecordModel home, String hint) {
        // a discriminator: a property every branch fixes to a different string
        String discriminator = null;
        List<String> values = null;
        for (Map.Entry<String, JsonNode> p : branches.get(0).node().path("properties").properties()) {
            List<String> found = new ArrayList<>();
            for (Branch b : branches) {
                JsonNode ps = b.node().path("properties").path(p.getKey());
                String v = ps.path("const").isTextual() ? ps.get("const").textValue()
                        : ps.path("enum").isArray() && ps.get("enum").size() == 1 && ps.get("enum").get(0).isTextual()
                        ? ps.get("enum").get(0).textValue() : null;
                found.add(v);
            }
            if (!found.contains(null) && new HashSet<>(found).size() == found.size()) {
                discriminator = p.getKey();
                values = found;
                break;
            }
        }
        List<String> unique = new ArrayList<>();
        if (discriminator == null) {
            for (Branch b : branches) {
                String only = null;
                for (JsonNode r : b.node().path("required")) {
                    boolean elsewhere = branches.stream().anyMatch(o -> o != b && o.node().path("properties").has(r.asText()));
                    if (!elsewhere) {
                        only = r.asText();
                        break;
                    }
                }
                if (only == null) {
                    problem(b.doc(), b.pointer(), "this branch of the " + keyword + " at " + doc.relativePath() + "#" + pointer
                                    + " cannot be told apart from the others: no property has a different const in each branch,"
                                    + " and it requires no property that only it declares",
                            "add a discriminator, e.g. \"kind\": {\"const\": \"...\"} with a value per branch, or a required property of its own");
                    return error(s);
                }
                unique.add(only);
            }
        }
        ClassName name = allocate(home, doc, pointer, s, hint);
        UnionModel model = new UnionModel(name, doc, pointer,
                discriminator != null ? UnionModel.Strategy.DISCRIMINATOR : UnionModel.Strategy.UNIQUE_PROPERTY, discriminator);
        model.description = text(s.get("description"));
        TypeUse use = new TypeUse(name, name, null, List.of(AnnotationSpec.builder(VALID).build()), Kind.UNION, false, null, null, s);
        byLocation.put(key(doc, pointer), use);
        attach(home, name, model);
        for (int i = 0; i < branches.size(); i++) {
            Branch b = branches.get(i);
            String branchHint = discriminator != null ? Names.javaTypeName(values.get(i)) : Names.javaTypeName(unique.get(i));
            JsonNode branchNode = b.node();
            if (home == null && eventUnionPrefix != null && !b.written().has("$ref")) {
                // an event's inline branches are top level: named after the event, never after a title two events may share
                branchHint = eventUnionPrefix + branchHint;
                branchNode = ((com.fasterxml.jackson.databind.node.ObjectNode) branchNode.deepCopy()).put("title", branchHint);
            }
            TypeUse bu = b.written().has("$ref") ? mapRef(doc, b.writtenAt(), b.written())
                    : map(doc, b.writtenAt(), branchNode, home, branchHint);
            RecordModel branchRecord = recordsByLocation.get(key(b.doc(), b.pointer()));
            if (bu.kind() != Kind.RECORD || branchRecord == null) {
                return error(s);
            }
            branchRecord.unions.add(name);
            model.branches.add(new UnionModel.Branch(branchRecord.name, discriminator != null ? values.get(i) : unique.get(i), bu));
        }
        return use;
    }

    private TypeUse scalarUnion(SchemaDocument doc, String pointer, JsonNode s, String keyword, List<Branch> branches,
                                RecordModel home, String hint) {
        Set<String> types = new HashSet<>();
        for (Branch b : branches) {
            if (!types.add(jsonKind(b.node()))) {
                problem(b.doc(), b.pointer(), "two branches of this " + keyword + " are both " + jsonKind(b.node())
                        + ", so a value cannot tell which one it is", "merge them into one branch (an enum, or bounds)");
                return error(s);
            }
        }
        if (types.contains("integer") && types.contains("number") || types.size() < branches.size()) {
            problem(doc, pointer + "/" + keyword, "an integer is also a number, so the branches integer and number overlap",
                    "keep only \"number\", or bound the number so it cannot be whole");
            return error(s);
        }
        ClassName name = allocate(home, doc, pointer, s, hint);
        UnionModel model = new UnionModel(name, doc, pointer, UnionModel.Strategy.JSON_TYPE, null);
        model.description = text(s.get("description"));
        TypeUse use = new TypeUse(name, name, null, List.of(AnnotationSpec.builder(VALID).build()), Kind.UNION, false, null, null, s);
        byLocation.put(key(doc, pointer), use);
        attach(home, name, model);
        for (Branch b : branches) {
            String t = jsonKind(b.node());
            TypeUse bu = b.written().has("$ref") ? mapRef(doc, b.writtenAt(), b.written()) : map(doc, b.writtenAt(), b.node(), home,
                    name.simpleName() + Names.javaTypeName(t));
            if (bu.kind() == Kind.ERROR) {
                return error(s);
            }
            if (t.equals("object")) {
                // the object branch is a record of its own, implementing the union
                RecordModel branchRecord = recordsByLocation.get(key(b.doc(), b.pointer()));
                if (bu.kind() != Kind.RECORD || branchRecord == null) {
                    return error(s);
                }
                branchRecord.unions.add(name);
                model.branches.add(new UnionModel.Branch(branchRecord.name, t, bu));
            } else {
                model.branches.add(new UnionModel.Branch(name.nestedClass("Of" + Names.javaTypeName(t)), t, bu));
            }
        }
        return use;
    }

    /** The small schema one type of a {@code type: [..]} union stands for. */
    private static JsonNode typeOnly(String type) {
        return com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode().put("type", type);
    }

    /**
     * An {@code allOf}: a single {@code $ref} (draft-07's way to annotate a reference) is that
     * reference; otherwise the parts merged into one schema ({@link AllOfMerger}) are mapped at
     * the allOf's place, so a {@code $ref} plus a refinement becomes one record nested where used.
     */
    private TypeUse allOf(SchemaDocument doc, String pointer, JsonNode s, RecordModel home, String hint) {
        JsonNode parts = s.get("allOf");
        if (parts.isArray() && parts.size() == 1 && parts.get(0).has("$ref") && onlyAnnotationsBesides(s, "allOf")) {
            return mapRef(doc, pointer + "/allOf/0", parts.get(0));
        }
        AllOfMerger.Result merged = new AllOfMerger(registry).merge(doc, pointer, s);
        if (merged.merged() == null) {
            problems.addAll(merged.problems());
            return error(s);
        }
        return map(doc, pointer, merged.merged(), home, hint);
    }

    /** {@code oneOf} or {@code anyOf} of exactly a schema and {@code {"type": "null"}}, nothing else that validates: its keyword. */
    private String nullableUnion(JsonNode s) {
        for (String k : List.of("oneOf", "anyOf")) {
            JsonNode branches = s.get(k);
            if (branches == null || !branches.isArray() || branches.size() != 2) {
                continue;
            }
            int nulls = 0;
            for (JsonNode b : branches) {
                if (b.isObject() && b.path("type").asText("").equals("null") && onlyAnnotationsBesides(b, "type")) {
                    nulls++;
                }
            }
            if (nulls == 1 && onlyAnnotationsBesides(s, k)) {
                return k;
            }
        }
        return null;
    }

    private boolean onlyAnnotationsBesides(JsonNode s, String keyword) {
        for (var it = s.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (!k.equals(keyword) && !registry.isAnnotation(k)) {
                return false;
            }
        }
        return true;
    }

    /** A schema with no validating keyword at all ({@code {}}, or only a description): any JSON value. */
    private boolean isAnyValue(JsonNode s) {
        return onlyAnnotationsBesides(s, "$comment");
    }

    /** Any JSON value, as a tree: the documented fallback for a schema that does not constrain its value. */
    private static TypeUse anyValue(JsonNode s) {
        return new TypeUse(JSON_NODE, JSON_NODE, null, List.of(), Kind.SCALAR, true, null, null, s);
    }

    private boolean checkKeywords(SchemaDocument doc, String pointer, JsonNode s, String type) {
        boolean ok = true;
        Set<String> allowed = KEYWORDS_BY_TYPE.get(type);
        for (var it = s.fieldNames(); it.hasNext(); ) {
            String keyword = it.next();
            if (registry.isAnnotation(keyword) || allowed == null || allowed.contains(keyword)) {
                continue;
            }
            if (s.has("enum") && keyword.equals("enum")) {
                continue;
            }
            String fix = FIXES.get(keyword);
            if (fix != null) {
                problem(doc, pointer + "/" + SchemaDocument.escape(keyword),
                        "the generator cannot express \"" + keyword + "\" as Java types and constraints", fix);
            } else if (keyword.startsWith("x-")) {
                problem(doc, pointer + "/" + SchemaDocument.escape(keyword), "unknown extension keyword \""
                        + keyword + "\"", "Herald knows " + String.join(", ", Vocabulary.HERALD_KEYWORDS)
                        + "; correct the spelling, or declare a foreign one in registry.json: \"annotationKeywords\": [\""
                        + keyword + "\"]");
            } else if (knownElsewhere(keyword)) {
                problem(doc, pointer + "/" + SchemaDocument.escape(keyword), "\"" + keyword
                        + "\" does not apply to a value of type " + type,
                        "remove it, or change \"type\" to the type it belongs to");
            } else {
                problem(doc, pointer + "/" + SchemaDocument.escape(keyword), "unknown keyword \"" + keyword
                        + "\" (JSON Schema would ignore it silently)", "correct the spelling or remove it; a keyword of another tool"
                        + " that should be ignored goes into registry.json's \"annotationKeywords\"");
            }
            ok = false;
        }
        return ok;
    }

    private static boolean knownElsewhere(String keyword) {
        return KEYWORDS_BY_TYPE.values().stream().anyMatch(k -> k.contains(keyword));
    }

    private TypeUse mapRef(SchemaDocument doc, String pointer, JsonNode s) {
        for (var it = s.fieldNames(); it.hasNext(); ) {
            String keyword = it.next();
            if (!keyword.equals("$ref") && !registry.isAnnotation(keyword)) {
                problem(doc, pointer + "/" + SchemaDocument.escape(keyword), "\"" + keyword
                        + "\" next to \"$ref\" cannot be generated (the referenced type is shared)",
                        "move the constraint into the referenced schema, or describe the value inline");
                return error(s);
            }
        }
        ResolvedRef target;
        try {
            target = registry.resolve(doc, s.get("$ref").asText(), pointer + "/$ref");
        } catch (RegistryException e) {
            problems.addAll(e.problems());
            return error(s);
        }
        SchemaDocument to = target.document();
        String toPointer = target.pointer();
        if (toPointer.isEmpty()) {
            TypeDef type = typeByDocument.get(to.relativePath());
            if (type != null && isDefinitionsOnly(to.root())) {
                problem(doc, pointer + "/$ref", "the $ref points at " + to.relativePath()
                        + ", which only holds $defs", "point at one of them, e.g. \"" + s.get("$ref").asText()
                        + "#/$defs/<name>\"");
                return error(s);
            }
            if (type != null) {
                TypeUse shared = sharedType(type);
                return admitsNull(to.root()) && shared.kind() != Kind.ERROR ? shared.withNullable(true) : shared;
            }
            EventDef event = latestEventByDocument.get(to.relativePath());
            if (event != null) {
                return eventRecord(event);
            }
            problem(doc, pointer + "/$ref", "the $ref points at " + to.relativePath()
                    + ", which is not generated (only the newest version of an event is)",
                    "move the shared definition into types/ and refer to it there");
            return error(s);
        }
        String key = key(to, toPointer);
        TypeUse done = byLocation.get(key);
        if (done != null) {
            return admitsNull(target.node()) ? done.withNullable(true) : done;
        }
        JsonNode node = target.node();
        RecordModel home = homeOf(to);
        // building the home may have generated this very definition (a property of it refers to it)
        done = byLocation.get(key);
        if (done != null) {
            return admitsNull(node) ? done.withNullable(true) : done;
        }
        if (home == null && !typeByDocument.containsKey(to.relativePath())) {
            problem(doc, pointer + "/$ref", "the $ref points into " + to.relativePath()
                    + ", which is not generated (only the newest version of an event is)",
                    "move the shared definition into types/ and refer to it there");
            return error(s);
        }
        String hint = hintFromPointer(toPointer);
        if (isRecordShape(node) || isEnumShape(node)) {
            ClassName name = allocate(home, to, toPointer, node, hint);
            TypeUse use = named(to, toPointer, node, name, home);
            // a named type is shared by its uses; that its schema admits null is said at each use
            return admitsNull(node) ? use.withNullable(true) : use;
        }
        if (!inProgress.add(key)) {
            problem(doc, pointer + "/$ref", "circular $ref", "break the cycle with an object");
            return error(s);
        }
        try {
            TypeUse use = map(to, toPointer, node, home, hint);
            byLocation.put(key, use);
            return use;
        } finally {
            inProgress.remove(key);
        }
    }

    /** The record that nests types defined inside {@code doc}; null for a types/ file whose root is no record. */
    private RecordModel homeOf(SchemaDocument doc) {
        EventDef event = latestEventByDocument.get(doc.relativePath());
        if (event != null) {
            eventRecord(event);
            return recordsByLocation.get(key(doc, ""));
        }
        TypeDef type = typeByDocument.get(doc.relativePath());
        if (type != null && isRecordShape(doc.root())) {
            sharedType(type);
            return recordsByLocation.get(key(doc, ""));
        }
        return null;
    }

    private static String hintFromPointer(String pointer) {
        String last = SchemaDocument.unescape(pointer.substring(pointer.lastIndexOf('/') + 1));
        return Names.javaTypeName(last);
    }

    /** A class name for a nested (or, without home, top-level) type: title, else the hint; unique. */
    private ClassName allocate(RecordModel home, SchemaDocument doc, String pointer, JsonNode s, String hint) {
        String base = s.hasNonNull("title") ? Names.javaTypeName(s.get("title").asText()) : hint;
        if (home == null) {
            claimTopLevel(base, doc, pointer);
            return ClassName.get(javaPackage, base);
        }
        Set<String> enclosing = new HashSet<>();
        for (ClassName c = home.name; c != null; c = c.enclosingClassName()) {
            enclosing.add(c.simpleName());
        }
        String candidate = base;
        int n = 1;
        while (home.nestedNames.contains(candidate) || enclosing.contains(candidate) || candidate.equals("Builder")
                || shadowing.contains(candidate)) {
            candidate = base + (n == 1 ? "Type" : "Type" + n);
            n++;
        }
        home.nestedNames.add(candidate);
        return home.name.nestedClass(candidate);
    }

    private TypeUse enumType(SchemaDocument doc, String pointer, JsonNode s, RecordModel home, String hint) {
        ClassName name = allocate(home, doc, pointer, s, hint);
        return named(doc, pointer, s, name, home);
    }

    private void fillEnum(EnumModel model, SchemaDocument doc, String pointer, JsonNode s) {
        checkKeywords(doc, pointer, s, "string");
        model.description = text(s.get("description"));
        model.deprecated = s.path("deprecated").asBoolean(false);
        if (model.deprecated) {
            deprecatedTypes.add(model.name);
        }
        JsonNode values = s.get("enum");
        if (!values.isArray() || values.isEmpty()) {
            problem(doc, pointer + "/enum", "\"enum\" must be a non-empty array", "list the allowed values");
            return;
        }
        Map<String, String> byConstant = new HashMap<>();
        JsonNode varnames = s.get(Vocabulary.X_ENUM_VARNAMES);
        if (varnames != null && (!varnames.isArray() || varnames.size() != values.size())) {
            problem(doc, pointer + "/" + Vocabulary.X_ENUM_VARNAMES, "\"" + Vocabulary.X_ENUM_VARNAMES
                    + "\" must list one Java constant name per enum value (" + values.size() + ")", "list one name per value, in order");
            varnames = null;
        }
        for (int i = 0; i < values.size(); i++) {
            JsonNode value = values.get(i);
            if (value.isNull()) {
                // {"type": ["string", "null"], "enum": [..., null]}: null is the absent value of a nullable enum
                continue;
            }
            if (!value.isTextual()) {
                problem(doc, pointer + "/enum/" + i, "enum value " + value + " is not a string",
                        "generated enums hold strings; quote the value or use an integer with bounds");
                continue;
            }
            String constant = varnames != null ? varnames.get(i).asText() : Names.constantName(value.textValue());
            if (varnames != null && !javax.lang.model.SourceVersion.isName(constant)) {
                problem(doc, pointer + "/" + Vocabulary.X_ENUM_VARNAMES + "/" + i, "\"" + constant + "\" is not a Java identifier",
                        "use letters, digits and underscores, starting with a letter");
                continue;
            }
            if (constant.equals("UNKNOWN")) {
                problem(doc, pointer + "/enum/" + i, "the value \"" + value.textValue()
                        + "\" would become the constant UNKNOWN, which every generated enum reserves for values "
                        + "the SDK does not know", "use another value, e.g. \"unspecified\"");
                continue;
            }
            String clash = byConstant.put(constant, value.textValue());
            if (clash != null) {
                problem(doc, pointer + "/enum/" + i, "the values \"" + clash + "\" and \"" + value.textValue()
                        + "\" both become the constant " + constant, "make the values differ in letters or digits");
                continue;
            }
            model.constants.put(value.textValue(), constant);
        }
    }

    private TypeUse array(SchemaDocument doc, String pointer, JsonNode s, RecordModel home, String hint) {
        JsonNode items = s.get("items");
        if (items == null || !items.isObject()) {
            problem(doc, pointer, "an array without an \"items\" schema would be a List<Object>",
                    "describe the elements with \"items\"");
            return error(s);
        }
        TypeUse element = map(doc, pointer + "/items", items, home, singular(hint));
        if (element.kind() == Kind.ERROR) {
            return error(s);
        }
        List<AnnotationSpec> constraints = new ArrayList<>();
        Long min = scalars.nonNegativeInt(doc, pointer, s, "minItems");
        Long max = scalars.nonNegativeInt(doc, pointer, s, "maxItems");
        ScalarTypes.sizeConstraint(min, max).ifPresent(constraints::add);
        if (s.path("uniqueItems").asBoolean(false)) {
            constraints.add(AnnotationSpec.builder(UNIQUE_ELEMENTS).build());
        }
        TypeName type = ParameterizedTypeName.get(LIST, annotatedElement(element));
        TypeName plain = ParameterizedTypeName.get(LIST, element.plain());
        return new TypeUse(type, plain, null, List.copyOf(constraints), Kind.LIST, false, element, null, s);
    }

    private static TypeName annotatedElement(TypeUse element) {
        List<AnnotationSpec> annotations = new ArrayList<>();
        if (!element.nullable()) {
            annotations.add(AnnotationSpec.builder(NOT_NULL).build());
        }
        annotations.addAll(element.constraints());
        return element.type().annotated(annotations);
    }

    static String singular(String name) {
        if (name.endsWith("ies") && name.length() > 3) {
            return name.substring(0, name.length() - 3) + "y";
        }
        if (name.endsWith("sses") || name.endsWith("shes") || name.endsWith("ches") || name.endsWith("xes")) {
            return name.substring(0, name.length() - 2);
        }
        if (name.endsWith("s") && !name.endsWith("ss") && !name.endsWith("us") && !name.endsWith("is")
                && name.length() > 1) {
            return name.substring(0, name.length() - 1);
        }
        return name + "Item";
    }

    private TypeUse object(SchemaDocument doc, String pointer, JsonNode s, RecordModel home, String hint) {
        JsonNode additional = s.get("additionalProperties");
        boolean hasProperties = s.has("properties") && s.get("properties").size() > 0;
        if (additional != null && additional.isObject()) {
            if (hasProperties) {
                problem(doc, pointer + "/additionalProperties", "an object with both named properties and an "
                                + "\"additionalProperties\" schema has no record shape",
                        "move the free-form entries into a property of their own (a Map)");
                return error(s);
            }
            if (s.has("required")) {
                problem(doc, pointer + "/required", "\"required\" on a map has no Java constraint",
                        "use named properties for the keys that must be present");
                return error(s);
            }
            TypeUse value = map(doc, pointer + "/additionalProperties", additional, home, singular(hint) + "Value");
            if (value.kind() == Kind.ERROR) {
                return error(s);
            }
            List<AnnotationSpec> constraints = new ArrayList<>();
            Long min = scalars.nonNegativeInt(doc, pointer, s, "minProperties");
            Long max = scalars.nonNegativeInt(doc, pointer, s, "maxProperties");
            ScalarTypes.sizeConstraint(min, max).ifPresent(constraints::add);
            TypeName type = ParameterizedTypeName.get(MAP, STRING, annotatedElement(value));
            TypeName plain = ParameterizedTypeName.get(MAP, STRING, value.plain());
            return new TypeUse(type, plain, null, List.copyOf(constraints), Kind.MAP, false, value, null, s);
        }
        for (String keyword : List.of("minProperties", "maxProperties")) {
            if (s.has(keyword)) {
                problem(doc, pointer + "/" + keyword, "\"" + keyword + "\" on an object with named properties has "
                        + "no Java constraint", "remove it, or make the value a map with \"additionalProperties\"");
                return error(s);
            }
        }
        if (!hasProperties && !s.has("properties") && (additional == null || additional.isBoolean() && additional.booleanValue())) {
            // a free-form object: its entries as JSON trees (the documented fallback)
            if (s.has("required") && !s.get("required").isEmpty()) {
                problem(doc, pointer + "/required", "\"required\" on a free-form object has no Java constraint",
                        "declare the properties that must be present");
                return error(s);
            }
            TypeName type = ParameterizedTypeName.get(MAP, STRING, JSON_NODE);
            return new TypeUse(type, type, null, List.of(), Kind.MAP, false, anyValue(s), null, s);
        }
        ClassName name = allocate(home, doc, pointer, s, hint);
        return named(doc, pointer, s, name, home);
    }

    private void fillRecord(RecordModel record, SchemaDocument doc, String pointer, JsonNode s) {
        record.description = text(s.get("description"));
        record.title = text(s.get("title"));
        record.deprecated = s.path("deprecated").asBoolean(false);
        if (record.deprecated) {
            deprecatedTypes.add(record.name);
        }
        // a keyword problem on the object does not stop its properties being checked: every problem in one run
        checkKeywords(doc, pointer, s, "object");
        JsonNode additional = s.get("additionalProperties");
        record.strict = additional != null && additional.isBoolean() && !additional.booleanValue();
        JsonNode properties = s.path("properties");
        Set<String> required = new LinkedHashSet<>();
        JsonNode requiredNode = s.get("required");
        if (requiredNode != null) {
            for (int i = 0; i < requiredNode.size(); i++) {
                String name = requiredNode.get(i).asText();
                required.add(name);
                if (!properties.has(name)) {
                    problem(doc, pointer + "/required/" + i, "required property \"" + name
                            + "\" is not declared in \"properties\"", "declare it, or remove it from \"required\"");
                }
            }
        }
        Map<String, String> javaNames = new HashMap<>();
        for (Map.Entry<String, JsonNode> entry : properties.properties()) {
            String jsonName = entry.getKey();
            String propPointer = pointer + "/properties/" + SchemaDocument.escape(jsonName);
            JsonNode override = entry.getValue().get(Vocabulary.X_JAVA_NAME);
            String javaName = override != null && override.isTextual() ? override.textValue() : Names.javaIdentifier(jsonName);
            if (override != null && (!override.isTextual() || !javax.lang.model.SourceVersion.isName(javaName))) {
                problem(doc, propPointer + "/" + Vocabulary.X_JAVA_NAME, "\"" + Vocabulary.X_JAVA_NAME + "\" " + override
                        + " is not a Java identifier", "use letters, digits and underscores, starting with a lower-case letter");
                continue;
            }
            if (RECORD_RESERVED.contains(javaName)) {
                javaName = javaName + "_";
            }
            String clash = javaNames.put(javaName, jsonName);
            if (clash != null) {
                problem(doc, propPointer, "properties \"" + clash + "\" and \"" + jsonName
                        + "\" both become the Java name " + javaName, "give one of them its own Java name with \""
                        + Vocabulary.X_JAVA_NAME + "\": \"...\" (the JSON name stays)");
                continue;
            }
            JsonNode propSchema = entry.getValue();
            TypeUse use = map(doc, propPointer, propSchema, record, Names.javaTypeName(jsonName));
            if (use.kind() == Kind.ERROR) {
                continue;
            }
            record.fields.add(field(record, doc, propPointer, jsonName, javaName, propSchema, use,
                    required.contains(jsonName)));
        }
    }

    private FieldModel field(RecordModel record, SchemaDocument doc, String pointer, String jsonName,
                             String javaName, JsonNode schema, TypeUse use, boolean required) {
        boolean nullable = use.nullable();
        boolean primitive = required && !nullable && use.primitive() != null;
        List<AnnotationSpec> annotations = new ArrayList<>();
        AnnotationSpec.Builder property = AnnotationSpec.builder(JSON_PROPERTY).addMember("value", "$S", jsonName);
        if (required) {
            property.addMember("required", "true");
        }
        annotations.add(property.build());
        JsonNode aliases = schema.get("x-aliases");
        if (aliases != null && aliases.isArray() && !aliases.isEmpty()) {
            AnnotationSpec.Builder alias = AnnotationSpec.builder(JSON_ALIAS);
            aliases.forEach(a -> alias.addMember("value", "$S", a.asText()));
            annotations.add(alias.build());
        }
        if (required && nullable) {
            annotations.add(AnnotationSpec.builder(JSON_INCLUDE)
                    .addMember("value", "$T.Include.ALWAYS", JSON_INCLUDE).build());
        }
        boolean deprecated = schema.path("deprecated").asBoolean(false);
        if (deprecated) {
            annotations.add(AnnotationSpec.builder(Deprecated.class).build());
        }
        if (required && !nullable && !primitive) {
            annotations.add(AnnotationSpec.builder(NOT_NULL).build());
        }
        annotations.addAll(use.constraints());
        noteDeprecatedUses(record, use);
        CodeBlock defaultValue = null;
        JsonNode defaultNode = schema.get("default");
        if (defaultNode == null && schema.has("$ref")) {
            defaultNode = use.schema() == null ? null : use.schema().get("default");
        }
        if (defaultNode != null && !required) {
            defaultValue = defaults.code(doc, pointer + "/default", use, defaultNode);
        }
        String description = text(schema.get("description"));
        if (description == null && use.schema() != null) {
            description = text(use.schema().get("description"));
        }
        return new FieldModel(jsonName, javaName, use, primitive ? use.primitive() : use.type(),
                List.copyOf(annotations), required, description, deprecated, defaultValue,
                defaultValue == null ? null : defaultNode.toString());
    }

    private void noteDeprecatedUses(RecordModel record, TypeUse use) {
        for (TypeUse u = use; u != null; u = u.element()) {
            if (u.plain() instanceof ClassName c) {
                record.deprecatedUses.add(c);
            }
        }
    }

    // ---------------------------------------------------------------- helpers

    /** Where problems go: the file, the pointer, what is wrong and what to do. */
    interface ProblemSink {
        void add(SchemaDocument doc, String pointer, String message, String fix);
    }

    static TypeUse error(JsonNode s) {
        return new TypeUse(ClassName.OBJECT, ClassName.OBJECT, null, List.of(), Kind.ERROR, false, null, null, s);
    }

    private void problem(SchemaDocument doc, String pointer, String message, String fix) {
        problems.add(new Problem(doc.locate(pointer), message, fix));
    }

    private static String key(SchemaDocument doc, String pointer) {
        return doc.relativePath() + "#" + pointer;
    }

    static String text(JsonNode n) {
        return n == null || !n.isTextual() ? null : n.textValue();
    }

}
