package dev.herald.codegen;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.schema.EventDef;
import dev.herald.schema.Registry;
import dev.herald.schema.RegistryLoader;
import dev.herald.schema.ResolvedRef;
import dev.herald.schema.SchemaDocument;
import dev.herald.schema.TypeDef;
import java.io.IOException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.math.BigDecimal;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every component of every compiled record has the type of the schema it came from: walks the
 * schemas on its own (not through the generator's model) and compares with reflection. A
 * {@code $ref} to a shared type must be that top-level type, never a nested type of the same
 * simple name (javac binds a simple name in a record header to a member type first); an inline
 * object or enum must be nested in its record.
 */
class ComponentTypesTest {

    static Stream<Path> registries() {
        return Stream.of(Fixtures.fixtureRegistry(), Fixtures.moduleDir().getParent().resolve("schemas"));
    }

    @ParameterizedTest
    @MethodSource("registries")
    void everyComponentHasTheTypeOfItsSchema(Path schemas) throws Exception {
        Registry registry = RegistryLoader.load(schemas);
        Path dir = Files.createTempDirectory("herald-components");
        List<String> checked = new ArrayList<>();
        try (URLClassLoader loader = InProcessCompiler.compile(CodeGenerator.generate(registry, GeneratorOptions.defaults()), dir)) {
            Checker checker = new Checker(registry, loader, checked);
            for (EventDef event : registry.events()) {
                SchemaDocument doc = event.latest().document();
                Class<?> type = loader.loadClass(registry.javaPackage() + "." + event.javaName());
                if (type.isInterface()) {
                    // one of several shapes: a sealed event interface, each branch a record of its own
                    assertThat(type.isSealed()).as("%s is sealed", type.getName()).isTrue();
                    assertThat(dev.herald.runtime.HeraldEvent.class).isAssignableFrom(type);
                    JsonNode branches = doc.root().has("oneOf") ? doc.root().get("oneOf") : doc.root().get("anyOf");
                    assertThat(type.getPermittedSubclasses()).hasSize(branches.size());
                    for (int i = 0; i < branches.size(); i++) {
                        checker.record(type.getPermittedSubclasses()[i], doc, "/oneOf/" + i, branches.get(i));
                    }
                } else {
                    checker.record(type, doc, "", doc.root());
                }
            }
            for (TypeDef type : registry.types()) {
                JsonNode root = type.document().root();
                if (root.has("properties")) {
                    checker.record(loader.loadClass(registry.javaPackage() + "." + type.javaName()), type.document(), "", root);
                }
            }
        }
        assertThat(checked).as("components checked").hasSizeGreaterThan(10);
    }

    private record Checker(Registry registry, URLClassLoader loader, List<String> checked) {

        void record(Class<?> record, SchemaDocument doc, String pointer, JsonNode schema) {
            record(record, doc, pointer, schema, java.util.Set.of());
        }

        /** {@code skip}: properties several allOf parts define; the record has their intersection, which this oracle does not compute. */
        void record(Class<?> record, SchemaDocument doc, String pointer, JsonNode schema, java.util.Set<String> skip) {
            assertThat(record.isRecord()).as("%s is a record", record.getName()).isTrue();
            for (Map.Entry<String, JsonNode> p : schema.path("properties").properties()) {
                if (skip.contains(p.getKey())) {
                    continue;
                }
                RecordComponent component = component(record, p.getKey());
                String where = doc.relativePath() + "#" + pointer + "/properties/" + p.getKey();
                value(record, component.getGenericType(), doc, pointer + "/properties/" + SchemaDocument.escape(p.getKey()), p.getValue(), where);
                checked.add(where);
            }
            // an allOf: every part's properties are components of the one record
            JsonNode allOf = schema.get("allOf");
            if (allOf == null) {
                return;
            }
            List<Object[]> parts = new ArrayList<>();
            Map<String, Integer> definedBy = new java.util.HashMap<>();
            for (int i = 0; i < allOf.size(); i++) {
                JsonNode part = allOf.get(i);
                Object[] located = part.has("$ref")
                        ? new Object[] {registry.resolve(doc, part.get("$ref").asText()).document(), registry.resolve(doc, part.get("$ref").asText()).pointer(),
                                registry.resolve(doc, part.get("$ref").asText()).node()}
                        : new Object[] {doc, pointer + "/allOf/" + i, part};
                parts.add(located);
                ((JsonNode) located[2]).path("properties").fieldNames().forEachRemaining(n -> definedBy.merge(n, 1, Integer::sum));
            }
            java.util.Set<String> several = new java.util.HashSet<>(skip);
            definedBy.forEach((n, count) -> {
                if (count > 1) {
                    several.add(n);
                }
            });
            for (Object[] located : parts) {
                record(record, (SchemaDocument) located[0], (String) located[1], (JsonNode) located[2], several);
            }
        }

        private static RecordComponent component(Class<?> record, String jsonName) {
            for (RecordComponent c : record.getRecordComponents()) {
                JsonProperty property = c.getAccessor().getAnnotation(JsonProperty.class);
                if (property == null) {
                    property = c.getAnnotation(JsonProperty.class);
                }
                if (property != null && property.value().equals(jsonName)) {
                    return c;
                }
            }
            throw new AssertionError(record.getName() + " has no component for property " + jsonName);
        }

        void value(Class<?> record, Type actual, SchemaDocument doc, String pointer, JsonNode s, String where) {
            if (s.has("$ref")) {
                ResolvedRef target = registry.resolve(doc, s.get("$ref").asText());
                if (target.pointer().isEmpty() && target.document().relativePath().startsWith("types/")) {
                    JsonNode root = target.document().root();
                    if (root.has("properties") || root.has("enum")) {
                        String shared = registry.javaPackage() + "." + registry.types().stream()
                                .filter(t -> t.document().relativePath().equals(target.document().relativePath()))
                                .findFirst().orElseThrow().javaName();
                        assertThat(raw(actual).getName()).as("%s: a $ref to %s is the shared top-level type", where,
                                target.document().relativePath()).isEqualTo(shared);
                        return;
                    }
                }
                value(record, actual, target.document(), target.pointer(), target.node(), where);
                return;
            }
            for (String union : List.of("oneOf", "anyOf")) {
                JsonNode branches = s.get(union);
                int nonNull = 0;
                for (int i = 0; branches != null && i < branches.size(); i++) {
                    nonNull += branches.get(i).path("type").asText("").equals("null") ? 0 : 1;
                }
                if (nonNull >= 2) {
                    Class<?> sealed = raw(actual);
                    assertThat(sealed.isSealed()).as("%s: a union is a sealed interface", where).isTrue();
                    assertThat(sealed.getPermittedSubclasses()).as("%s: one type per branch", where).hasSize(nonNull);
                    for (Class<?> branch : sealed.getPermittedSubclasses()) {
                        if (branch.getSimpleName().startsWith("Of")) {
                            continue; // a scalar's value record
                        }
                        for (int i = 0; i < branches.size(); i++) {
                            JsonNode b = branches.get(i);
                            if (b.path("title").asText("").equals(branch.getSimpleName())) {
                                record(branch, doc, pointer + "/" + union + "/" + i, b);
                            }
                        }
                    }
                    return;
                }
            }
            if (s.path("type").isArray() && s.path("type").size() - (s.path("type").toString().contains("\"null\"") ? 1 : 0) >= 2) {
                assertThat(raw(actual).isSealed()).as("%s: several types are a sealed union", where).isTrue();
                return;
            }
            if (s.has("allOf")) {
                JsonNode parts = s.get("allOf");
                if (parts.size() == 1 && parts.get(0).has("$ref")) {
                    value(record, actual, doc, pointer + "/allOf/0", parts.get(0), where);
                    return;
                }
                boolean objectParts = false;
                for (JsonNode part : parts) {
                    objectParts |= part.has("properties") || part.has("$ref");
                }
                if (objectParts) {
                    Class<?> merged = raw(actual);
                    assertThat(merged.getEnclosingClass()).as("%s: a merged allOf is a record nested in its home", where).isNotNull();
                    record(merged, doc, pointer, s);
                } else {
                    value(record, actual, doc, pointer + "/allOf/0", parts.get(0), where);
                }
                return;
            }
            if (s.isBoolean() || s.isObject() && s.size() == 0 || s.isObject() && onlyAnnotations(s)) {
                assertThat(raw(actual)).as("%s: an unconstrained value is a JsonNode", where).isEqualTo(JsonNode.class);
                return;
            }
            for (String union : List.of("oneOf", "anyOf")) {
                JsonNode branches = s.get(union);
                if (branches != null && branches.size() == 2) {
                    int nullAt = branches.get(0).path("type").asText("").equals("null") ? 0 : 1;
                    assertThat(branches.get(nullAt).path("type").asText()).as("%s: a union with null", where).isEqualTo("null");
                    value(record, actual, doc, pointer + "/" + union + "/" + (1 - nullAt), branches.get(1 - nullAt), where);
                    return;
                }
            }
            String type = s.path("type").isArray() ? firstNonNull(s.path("type")) : s.path("type").asText(null);
            if ("null".equals(type)) {
                assertThat(raw(actual)).as(where).isEqualTo(Object.class);
                return;
            }
            if (type == null && s.has("properties")) {
                type = "object";
            }
            if (type == null && s.has("const")) {
                JsonNode c = s.get("const");
                type = c.isTextual() ? "string" : c.isIntegralNumber() ? "integer" : c.isNumber() ? "number" : c.isBoolean() ? "boolean" : null;
            }
            if (s.has("enum")) {
                Class<?> c = raw(actual);
                assertThat(c.isEnum()).as("%s is an enum", where).isTrue();
                return;
            }
            switch (String.valueOf(type)) {
                case "string" -> assertThat(raw(actual)).as(where)
                        .isEqualTo(s.has("const") ? String.class : stringType(s.path("format").asText(""))); // a const is a String holding it
                case "integer" -> assertThat(raw(actual)).as(where).isIn(Long.class, long.class);
                case "number" -> assertThat(raw(actual)).as(where).isEqualTo(BigDecimal.class);
                case "boolean" -> assertThat(raw(actual)).as(where).isIn(Boolean.class, boolean.class);
                case "array" -> {
                    assertThat(raw(actual)).as(where).isEqualTo(List.class);
                    value(record, ((ParameterizedType) actual).getActualTypeArguments()[0], doc, pointer + "/items", s.get("items"), where + "[]");
                }
                case "object" -> {
                    if (!s.has("properties") && !s.path("additionalProperties").isObject()) {
                        assertThat(actual.getTypeName()).as("%s: a free-form object", where)
                                .isEqualTo("java.util.Map<java.lang.String, com.fasterxml.jackson.databind.JsonNode>");
                    } else if (s.path("additionalProperties").isObject()) {
                        assertThat(raw(actual)).as(where).isEqualTo(Map.class);
                        value(record, ((ParameterizedType) actual).getActualTypeArguments()[1], doc, pointer + "/additionalProperties",
                                s.get("additionalProperties"), where + "{}");
                    } else {
                        Class<?> nested = raw(actual);
                        if (doc.relativePath().startsWith("types/") && pointer.isEmpty()) {
                            return; // a shared root, checked on its own
                        }
                        assertThat(nested.getEnclosingClass()).as("%s: an inline object is a record nested in its home", where).isNotNull();
                        record(nested, doc, pointer, s);
                    }
                }
                default -> throw new AssertionError(where + ": unexpected schema " + s);
            }
        }

        private static boolean onlyAnnotations(JsonNode s) {
            for (var it = s.fieldNames(); it.hasNext(); ) {
                if (!dev.herald.schema.Vocabulary.ANNOTATIONS.contains(it.next())) {
                    return false;
                }
            }
            return true;
        }

        private static String firstNonNull(JsonNode types) {
            for (JsonNode t : types) {
                if (!t.asText().equals("null")) {
                    return t.asText();
                }
            }
            return null;
        }

        /** The vocabulary decides; this only loads the class it names. */
        private static Class<?> stringType(String format) {
            try {
                return Class.forName(dev.herald.schema.Vocabulary.scalarType("string", format.isEmpty() ? null : format)
                        .orElseThrow().qualifiedName());
            } catch (ClassNotFoundException e) {
                throw new AssertionError(e);
            }
        }

        private static Class<?> raw(Type t) {
            if (t instanceof Class<?> c) {
                return c;
            }
            if (t instanceof ParameterizedType p) {
                return (Class<?>) p.getRawType();
            }
            if (t instanceof java.lang.reflect.AnnotatedType a) {
                return raw(a.getType());
            }
            throw new AssertionError("unexpected type " + t);
        }
    }
}
