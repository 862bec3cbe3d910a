package dev.herald.codegen;

import com.fasterxml.jackson.databind.JsonNode;
import com.palantir.javapoet.AnnotationSpec;
import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.TypeName;
import dev.herald.schema.EventDef;
import dev.herald.schema.EventVersion;
import dev.herald.schema.SchemaDocument;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The generator's intermediate model: what to emit, decided before any JavaPoet is written. */
final class Model {

    private Model() {
    }

    enum Kind { SCALAR, RECORD, ENUM, LIST, MAP, UNION, ERROR }

    /**
     * How a schema maps to a Java type where it is used.
     *
     * @param type        the (boxed) type, with type-use annotations on list elements / map values
     * @param plain       the same type without any annotation (builder fields, defaults)
     * @param primitive   the primitive to use when the value is required and not nullable, or null
     * @param constraints annotations for the declaration that uses this type (@Size, @Valid, ...)
     * @param nullable    the schema's type admits null
     * @param element     list element / map value type, for LIST and MAP
     * @param enumModel   the enum, for ENUM
     * @param schema      the schema node this use resolved to
     */
    record TypeUse(TypeName type, TypeName plain, TypeName primitive, List<AnnotationSpec> constraints, Kind kind,
                   boolean nullable, TypeUse element, EnumModel enumModel, JsonNode schema) {

        TypeUse withNullable(boolean value) {
            return new TypeUse(type, plain, primitive, constraints, kind, value, element, enumModel, schema);
        }
    }

    /** A type the generator declares: a record, an enum or a union, top level or nested in a record. */
    sealed interface Declared permits RecordModel, EnumModel, UnionModel {
        ClassName name();
    }

    /** A record to generate: an event, a shared type, or a nested object. */
    static final class RecordModel implements Declared {
        final ClassName name;

        @Override
        public ClassName name() {
            return name;
        }
        final SchemaDocument document;
        final String pointer;
        String description;
        String title;
        boolean deprecated;
        /** additionalProperties: false — unknown properties are an error rather than ignored. */
        boolean strict;
        EventDef event;
        EventVersion eventVersion;
        final List<FieldModel> fields = new ArrayList<>();
        final List<Declared> nested = new ArrayList<>();
        final Set<String> nestedNames = new HashSet<>();
        final Set<ClassName> deprecatedUses = new HashSet<>();
        /** The unions (sealed interfaces) this record is a branch of. */
        final Set<ClassName> unions = new java.util.LinkedHashSet<>();

        RecordModel(ClassName name, SchemaDocument document, String pointer) {
            this.name = name;
            this.document = document;
            this.pointer = pointer;
        }
    }

    /**
     * A sealed interface for a {@code oneOf}/{@code anyOf} of distinguishable branches, read by a
     * generated deserializer that picks the branch: by a discriminator property's constant, by a
     * required property only one branch has, or (scalars) by the JSON type of the value.
     */
    static final class UnionModel implements Declared {
        enum Strategy { DISCRIMINATOR, UNIQUE_PROPERTY, JSON_TYPE }

        /**
         * One branch.
         *
         * @param type     the branch's class (a record implementing the union, or a value record for a scalar)
         * @param key      the discriminator's value, the unique property's name, or the JSON node type
         * @param value    for a scalar branch: the value's type and constraints
         */
        record Branch(ClassName type, String key, TypeUse value) {
        }

        final ClassName name;

        @Override
        public ClassName name() {
            return name;
        }
        final SchemaDocument document;
        final String pointer;
        final Strategy strategy;
        /** The discriminator property, for DISCRIMINATOR. */
        final String property;
        final List<Branch> branches = new ArrayList<>();
        String description;
        /** Set when the union is an event's payload: the interface extends HeraldEvent. */
        EventDef event;

        UnionModel(ClassName name, SchemaDocument document, String pointer, Strategy strategy, String property) {
            this.name = name;
            this.document = document;
            this.pointer = pointer;
            this.strategy = strategy;
            this.property = property;
        }
    }

    /** A generated enum: wire value to constant name, in schema order. */
    static final class EnumModel implements Declared {
        final ClassName name;

        @Override
        public ClassName name() {
            return name;
        }
        final SchemaDocument document;
        final String pointer;
        String description;
        boolean deprecated;
        final Map<String, String> constants = new LinkedHashMap<>();

        EnumModel(ClassName name, SchemaDocument document, String pointer) {
            this.name = name;
            this.document = document;
            this.pointer = pointer;
        }
    }

    /**
     * One record component.
     *
     * @param jsonName     the property name on the wire
     * @param javaName     the component name
     * @param use          the mapped type
     * @param componentType the declared type (primitive when required, else boxed, with annotations inside)
     * @param annotations  the component's annotations, in emission order
     * @param description  Javadoc text or null
     * @param defaultValue code for the schema's default, applied when the value is absent; or null
     * @param defaultJson  the default as written in the schema, for Javadoc; or null
     */
    record FieldModel(String jsonName, String javaName, TypeUse use, TypeName componentType,
                      List<AnnotationSpec> annotations, boolean required, String description, boolean deprecated,
                      CodeBlock defaultValue, String defaultJson) {
    }
}
