package dev.herald.codegen;

import com.palantir.javapoet.AnnotationSpec;
import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.JavaFile;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.ParameterSpec;
import com.palantir.javapoet.ParameterizedTypeName;
import com.palantir.javapoet.TypeName;
import com.palantir.javapoet.TypeSpec;
import com.palantir.javapoet.WildcardTypeName;
import dev.herald.codegen.Model.EnumModel;
import dev.herald.codegen.Model.FieldModel;
import dev.herald.codegen.Model.Kind;
import dev.herald.codegen.Model.RecordModel;
import dev.herald.codegen.Model.UnionModel;
import dev.herald.schema.EventDef;
import dev.herald.schema.Registry;
import dev.herald.schema.ServiceDef;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.lang.model.element.Modifier;

/** Writes the model as Java source with JavaPoet. Pure: same model, same text. */
final class JavaEmitter {

    static final String GENERATOR = "dev.herald.codegen";

    private static final ClassName GENERATED = ClassName.get("javax.annotation.processing", "Generated");
    private static final ClassName JSON_INCLUDE = TypeResolver.JSON_INCLUDE;
    private static final ClassName JSON_NODE = TypeResolver.JSON_NODE;
    private static final ClassName NOT_NULL = TypeResolver.NOT_NULL;
    private static final ClassName JSON_IGNORE_PROPERTIES =
            ClassName.get("com.fasterxml.jackson.annotation", "JsonIgnoreProperties");
    private static final ClassName JSON_CREATOR = ClassName.get("com.fasterxml.jackson.annotation", "JsonCreator");
    private static final ClassName JSON_VALUE = ClassName.get("com.fasterxml.jackson.annotation", "JsonValue");
    private static final ClassName HERALD_EVENT = ClassName.get("dev.herald.runtime", "HeraldEvent");
    private static final ClassName GENERATED_ENUM = ClassName.get("dev.herald.runtime", "GeneratedEnum");
    private static final ClassName EVENT_DESCRIPTOR = ClassName.get("dev.herald.runtime", "EventDescriptor");
    private static final ClassName SERVICE_DESCRIPTOR = ClassName.get("dev.herald.runtime", "ServiceDescriptor");
    private static final ClassName COLLECTIONS = ClassName.get("java.util", "Collections");
    private static final ClassName ARRAY_LIST = ClassName.get("java.util", "ArrayList");
    private static final ClassName LINKED_HASH_MAP = ClassName.get("java.util", "LinkedHashMap");
    private static final ClassName OPTIONAL = ClassName.get("java.util", "Optional");
    private static final ClassName JSON_DESERIALIZE = ClassName.get("com.fasterxml.jackson.databind.annotation", "JsonDeserialize");
    private static final ClassName JSON_DESERIALIZER = ClassName.get("com.fasterxml.jackson.databind", "JsonDeserializer");
    private static final ClassName STD_DESERIALIZER = ClassName.get("com.fasterxml.jackson.databind.deser.std", "StdDeserializer");
    private static final ClassName JSON_PARSER = ClassName.get("com.fasterxml.jackson.core", "JsonParser");
    private static final ClassName DESERIALIZATION_CONTEXT = ClassName.get("com.fasterxml.jackson.databind", "DeserializationContext");
    private static final ClassName IO_EXCEPTION = ClassName.get("java.io", "IOException");
    private static final ClassName TYPE_REFERENCE = ClassName.get("com.fasterxml.jackson.core.type", "TypeReference");

    private final String javaPackage;
    private final int builderThreshold;
    private final Set<ClassName> deprecatedTypes;

    JavaEmitter(String javaPackage, int builderThreshold, Set<ClassName> deprecatedTypes) {
        this.javaPackage = javaPackage;
        this.builderThreshold = builderThreshold;
        this.deprecatedTypes = deprecatedTypes;
    }

    List<JavaFile> emit(Map<String, Model.Declared> topLevel, Registry registry) {
        List<JavaFile> files = new ArrayList<>();
        for (Model.Declared model : topLevel.values()) {
            if (model instanceof RecordModel record) {
                TypeSpec.Builder spec = record(record);
                spec.addAnnotation(generated());
                if (usesDeprecated(record, record.name)) {
                    spec.addAnnotation(suppressDeprecation());
                }
                files.add(file(spec.build(), record.document.relativePath()));
            } else if (model instanceof EnumModel enumModel) {
                files.add(file(enumType(enumModel).addAnnotation(generated()).build(),
                        enumModel.document.relativePath()));
            } else if (model instanceof UnionModel union) {
                files.add(file(union(union).addAnnotation(generated()).build(), union.document.relativePath()));
            }
        }
        files.add(file(eventType(registry, topLevel), "registry.json"));
        files.add(file(serviceName(registry), "registry.json"));
        return files;
    }

    private JavaFile file(TypeSpec spec, String source) {
        return JavaFile.builder(javaPackage, spec)
                .addFileComment("Generated by Herald from $L. Do not edit: change the schema and rebuild.", source)
                .skipJavaLangImports(true)
                .indent("    ")
                .build();
    }

    private static AnnotationSpec generated() {
        return AnnotationSpec.builder(GENERATED).addMember("value", "$S", GENERATOR).build();
    }

    private static AnnotationSpec suppressDeprecation() {
        return AnnotationSpec.builder(SuppressWarnings.class).addMember("value", "$S", "deprecation").build();
    }

    /** Whether the record tree uses a deprecated generated type that lives outside {@code top}. */
    private boolean usesDeprecated(RecordModel record, ClassName top) {
        for (ClassName used : record.deprecatedUses) {
            if (deprecatedTypes.contains(used) && !used.topLevelClassName().equals(top)) {
                return true;
            }
        }
        for (Model.Declared nested : record.nested) {
            if (nested instanceof RecordModel r && usesDeprecated(r, top)) {
                return true;
            }
        }
        return false;
    }

    // ---------------------------------------------------------------- records

    private TypeSpec.Builder record(RecordModel record) {
        TypeSpec.Builder spec = TypeSpec.recordBuilder(record.name).addModifiers(Modifier.PUBLIC);
        spec.addJavadoc(recordJavadoc(record));
        if (record.deprecated) {
            spec.addAnnotation(Deprecated.class);
        }
        spec.addAnnotation(AnnotationSpec.builder(JSON_INCLUDE)
                .addMember("value", "$T.Include.NON_NULL", JSON_INCLUDE).build());
        if (!record.strict) {
            spec.addAnnotation(AnnotationSpec.builder(JSON_IGNORE_PROPERTIES)
                    .addMember("ignoreUnknown", "true").build());
        }
        if (record.event != null) {
            spec.addSuperinterface(HERALD_EVENT);
        }
        record.unions.forEach(spec::addSuperinterface);
        if (!record.unions.isEmpty()) {
            // the union's reader is inherited as an annotation: a branch reads itself as a plain record
            spec.addAnnotation(AnnotationSpec.builder(JSON_DESERIALIZE).addMember("using", "$T.None.class", JSON_DESERIALIZER).build());
        }
        MethodSpec.Builder constructor = MethodSpec.compactConstructorBuilder().addModifiers(Modifier.PUBLIC);
        for (FieldModel field : record.fields) {
            constructor.addParameter(ParameterSpec.builder(field.componentType(), field.javaName())
                    .addAnnotations(field.annotations()).build());
            if (field.defaultValue() != null) {
                constructor.beginControlFlow("if ($N == null)", field.javaName())
                        .addStatement("$N = $L", field.javaName(), field.defaultValue())
                        .endControlFlow();
            }
            if (field.use().kind() == Kind.LIST) {
                constructor.addStatement("$N = $N == null ? null : $T.unmodifiableList(new $T<>($N))",
                        field.javaName(), field.javaName(), COLLECTIONS, ARRAY_LIST, field.javaName());
            } else if (field.use().kind() == Kind.MAP) {
                constructor.addStatement("$N = $N == null ? null : $T.unmodifiableMap(new $T<>($N))",
                        field.javaName(), field.javaName(), COLLECTIONS, LINKED_HASH_MAP, field.javaName());
            }
        }
        spec.recordConstructor(constructor.build());
        if (record.fields.size() >= builderThreshold && record.fields.stream()
                .noneMatch(f -> f.javaName().equals("builder") || f.javaName().equals("toBuilder"))) {
            builder(record, spec);
        }
        for (Model.Declared nested : record.nested) {
            if (nested instanceof RecordModel r) {
                spec.addType(record(r).build());
            } else if (nested instanceof EnumModel e) {
                spec.addType(enumType(e).build());
            } else if (nested instanceof UnionModel u) {
                spec.addType(union(u).build());
            }
        }
        return spec;
    }

    // ---------------------------------------------------------------- unions

    /**
     * A sealed interface with a deserializer that picks the branch (by discriminator, unique
     * property or JSON type) and reads the value as that branch; a value of no branch, or of two,
     * is an input mismatch. Writing needs nothing: each branch writes itself.
     */
    private TypeSpec.Builder union(UnionModel u) {
        TypeSpec.Builder spec = TypeSpec.interfaceBuilder(u.name).addModifiers(Modifier.PUBLIC, Modifier.SEALED);
        spec.addJavadoc("$L\n", u.description != null ? Javadocs.escape(u.description) : "One of several shapes.")
                .addJavadoc("\n<p>The union at {@code #$L} of {@code $L}; a value is one of the permitted types.\n",
                        Javadocs.escape(u.pointer), u.document.relativePath());
        if (u.event != null) {
            spec.addSuperinterface(HERALD_EVENT);
        }
        ClassName reader = u.name.nestedClass("Reader");
        spec.addAnnotation(AnnotationSpec.builder(JSON_DESERIALIZE).addMember("using", "$T.class", reader).build());
        for (UnionModel.Branch b : u.branches) {
            spec.addPermittedSubclass(b.type());
            if (u.strategy == UnionModel.Strategy.JSON_TYPE && !b.key().equals("object")) {
                spec.addType(valueRecord(u, b));
            }
        }
        spec.addType(reader(u, reader));
        return spec;
    }

    private TypeSpec valueRecord(UnionModel u, UnionModel.Branch b) {
        TypeName valueType = b.value().type();
        List<AnnotationSpec> annotations = new ArrayList<>();
        annotations.add(AnnotationSpec.builder(NOT_NULL).build());
        annotations.addAll(b.value().constraints());
        return TypeSpec.recordBuilder(b.type()).addModifiers(Modifier.PUBLIC, Modifier.STATIC)
                .addJavadoc("The union's value when it is a JSON $L.\n", b.key())
                .addSuperinterface(u.name)
                .recordConstructor(MethodSpec.compactConstructorBuilder().addModifiers(Modifier.PUBLIC)
                        .addParameter(ParameterSpec.builder(valueType, "value").addAnnotations(annotations).build()).build())
                .addMethod(MethodSpec.methodBuilder("value").addModifiers(Modifier.PUBLIC).returns(valueType)
                        .addAnnotation(AnnotationSpec.builder(JSON_VALUE).build())
                        .addStatement("return value").build())
                .build();
    }

    private TypeSpec reader(UnionModel u, ClassName reader) {
        MethodSpec.Builder read = MethodSpec.methodBuilder("deserialize").addAnnotation(Override.class).addModifiers(Modifier.PUBLIC)
                .returns(u.name).addParameter(JSON_PARSER, "parser").addParameter(DESERIALIZATION_CONTEXT, "context")
                .addException(IO_EXCEPTION)
                .addStatement("$T tree = context.readTree(parser)", JSON_NODE);
        switch (u.strategy) {
            case DISCRIMINATOR -> {
                read.addStatement("$T kind = tree.path($S)", JSON_NODE, u.property);
                for (UnionModel.Branch b : u.branches) {
                    read.beginControlFlow("if (kind.isTextual() && kind.textValue().equals($S))", b.key())
                            .addStatement("return context.readTreeAsValue(tree, $T.class)", b.type()).endControlFlow();
                }
                read.addStatement("return ($T) context.handleUnexpectedToken($T.class, parser.currentToken(), parser, $S)", u.name,
                        u.name, "\"" + u.property + "\" names none of the shapes of " + u.name.simpleName());
            }
            case UNIQUE_PROPERTY -> {
                read.addStatement("$T<? extends $T> branch = null", Class.class, u.name).addStatement("int matches = 0");
                for (UnionModel.Branch b : u.branches) {
                    read.beginControlFlow("if (tree.has($S))", b.key()).addStatement("branch = $T.class", b.type())
                            .addStatement("matches++").endControlFlow();
                }
                read.beginControlFlow("if (matches != 1)")
                        .addStatement("return ($T) context.handleUnexpectedToken($T.class, parser.currentToken(), parser, $S)", u.name,
                                u.name, "the value has the properties of " + (u.branches.size()) + " shapes of " + u.name.simpleName()
                                        + " but must have those of exactly one")
                        .endControlFlow()
                        .addStatement("return context.readTreeAsValue(tree, branch)");
            }
            case JSON_TYPE -> {
                for (UnionModel.Branch b : u.branches) {
                    String test = switch (b.key()) {
                        case "string" -> "tree.isTextual()";
                        case "integer" -> "tree.isIntegralNumber()";
                        case "number" -> "tree.isNumber()";
                        case "array" -> "tree.isArray()";
                        case "object" -> "tree.isObject()";
                        default -> "tree.isBoolean()";
                    };
                    read.beginControlFlow("if ($L)", test);
                    if (b.key().equals("object")) {
                        read.addStatement("return context.readTreeAsValue(tree, $T.class)", b.type());
                    } else if (b.key().equals("array")) {
                        read.addStatement("return new $T(context.readTreeAsValue(tree, context.getTypeFactory().constructType(new $T<$T>() {})))",
                                b.type(), TYPE_REFERENCE, b.value().plain());
                    } else {
                        read.addStatement("return new $T(context.readTreeAsValue(tree, $T.class))", b.type(), b.value().plain());
                    }
                    read.endControlFlow();
                }
                read.addStatement("return ($T) context.handleUnexpectedToken($T.class, parser.currentToken(), parser, $S)", u.name,
                        u.name, "the value is none of the types of " + u.name.simpleName());
            }
        }
        return TypeSpec.classBuilder(reader).addModifiers(Modifier.PUBLIC, Modifier.STATIC, Modifier.FINAL)
                .addJavadoc("Reads a $T: picks the shape, then reads the value as that shape.\n", u.name)
                .superclass(ParameterizedTypeName.get(STD_DESERIALIZER, u.name))
                .addField(FieldSpec.builder(long.class, "serialVersionUID", Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL)
                        .initializer("1L").build())
                .addMethod(MethodSpec.constructorBuilder().addModifiers(Modifier.PUBLIC).addStatement("super($T.class)", u.name).build())
                .addMethod(read.build())
                .build();
    }

    private static CodeBlock recordJavadoc(RecordModel record) {
        CodeBlock.Builder doc = CodeBlock.builder();
        String description = record.description != null ? record.description
                : record.title != null ? record.title : null;
        if (description != null) {
            doc.add("$L\n", Javadocs.escape(description));
        } else if (record.event != null) {
            doc.add("The {@code $L} event.\n", record.event.name());
        } else if (record.pointer.isEmpty()) {
            doc.add("The shared type of {@code $L}.\n", record.document.relativePath());
        } else {
            doc.add("The object at {@code #$L} of {@code $L}.\n", Javadocs.escape(record.pointer),
                    record.document.relativePath());
        }
        if (record.event != null) {
            doc.add("\n<p>Event {@code $L}, version $L, sent by {@code $L}; schema {@code $L}.\n",
                    record.event.name(), record.eventVersion.version(), record.event.owner(),
                    record.document.relativePath());
        } else if (record.pointer.isEmpty()) {
            doc.add("\n<p>Shared type {@code $L}.\n", record.document.relativePath());
        }
        if (!record.fields.isEmpty()) {
            doc.add("\n");
        }
        for (FieldModel field : record.fields) {
            String text = field.description() == null ? "the {@code " + Javadocs.escape(field.jsonName())
                    + "} property." : Javadocs.escape(field.description());
            if (field.deprecated()) {
                text = "deprecated. " + text;
            }
            if (field.defaultJson() != null) {
                text = text + " Default when absent: {@code " + Javadocs.escape(field.defaultJson()) + "}.";
            }
            doc.add("@param $L $L\n", field.javaName(), text);
        }
        if (record.deprecated) {
            doc.add("@deprecated the registry marks this $L deprecated\n", record.event != null ? "event" : "type");
        }
        return doc.build();
    }

    private static void builder(RecordModel record, TypeSpec.Builder spec) {
        ClassName builder = record.name.nestedClass("Builder");
        TypeSpec.Builder b = TypeSpec.classBuilder(builder)
                .addModifiers(Modifier.PUBLIC, Modifier.STATIC, Modifier.FINAL)
                .addJavadoc("Builds a {@link $T} one property at a time.\n", record.name);
        MethodSpec.Builder copy = MethodSpec.constructorBuilder().addModifiers(Modifier.PRIVATE)
                .addParameter(record.name, "source");
        List<CodeBlock> args = new ArrayList<>();
        for (FieldModel field : record.fields) {
            TypeName plain = field.componentType().isPrimitive() ? field.componentType().withoutAnnotations()
                    : field.use().plain();
            b.addField(FieldSpec.builder(plain, field.javaName(), Modifier.PRIVATE).build());
            copy.addStatement("this.$N = source.$N()", field.javaName(), field.javaName());
            b.addMethod(MethodSpec.methodBuilder(field.javaName())
                    .addModifiers(Modifier.PUBLIC)
                    .addParameter(plain, field.javaName())
                    .returns(builder)
                    .addStatement("this.$N = $N", field.javaName(), field.javaName())
                    .addStatement("return this")
                    .build());
            args.add(CodeBlock.of("$N", field.javaName()));
        }
        b.addMethod(MethodSpec.constructorBuilder().addModifiers(Modifier.PRIVATE).build());
        b.addMethod(copy.build());
        b.addMethod(MethodSpec.methodBuilder("build")
                .addModifiers(Modifier.PUBLIC)
                .returns(record.name)
                .addStatement("return new $T($L)", record.name, CodeBlock.join(args, ", "))
                .build());
        spec.addMethod(MethodSpec.methodBuilder("builder")
                .addJavadoc("A builder with every property unset.\n")
                .addModifiers(Modifier.PUBLIC, Modifier.STATIC)
                .returns(builder)
                .addStatement("return new $T()", builder)
                .build());
        spec.addMethod(MethodSpec.methodBuilder("toBuilder")
                .addJavadoc("A builder holding this record's values.\n")
                .addModifiers(Modifier.PUBLIC)
                .returns(builder)
                .addStatement("return new $T(this)", builder)
                .build());
        spec.addType(b.build());
    }

    // ---------------------------------------------------------------- enums

    private static TypeSpec.Builder enumType(EnumModel model) {
        TypeSpec.Builder spec = TypeSpec.enumBuilder(model.name).addModifiers(Modifier.PUBLIC)
                .addSuperinterface(GENERATED_ENUM);
        CodeBlock.Builder doc = CodeBlock.builder();
        doc.add("$L\n", model.description == null ? "Values of {@code #" + Javadocs.escape(model.pointer)
                + "} in {@code " + model.document.relativePath() + "}." : Javadocs.escape(model.description));
        doc.add("\n<p>A value this SDK does not know reads as {@link #UNKNOWN}; validation refuses to send it.\n");
        if (model.deprecated) {
            doc.add("\n@deprecated the registry marks this type deprecated\n");
            spec.addAnnotation(Deprecated.class);
        }
        spec.addJavadoc(doc.build());
        for (Map.Entry<String, String> constant : model.constants.entrySet()) {
            spec.addEnumConstant(constant.getValue(), TypeSpec.anonymousClassBuilder("$S", constant.getKey())
                    .addJavadoc("{@code $L}\n", Javadocs.escape(constant.getKey())).build());
        }
        spec.addEnumConstant("UNKNOWN", TypeSpec.anonymousClassBuilder("$S", "UNKNOWN")
                .addJavadoc("A value this SDK version does not know (sent by a newer producer); never sent.\n")
                .build());
        spec.addField(String.class, "wireValue", Modifier.PRIVATE, Modifier.FINAL);
        spec.addMethod(MethodSpec.constructorBuilder()
                .addParameter(String.class, "wireValue")
                .addStatement("this.wireValue = wireValue")
                .build());
        spec.addMethod(MethodSpec.methodBuilder("wireValue")
                .addAnnotation(Override.class)
                .addAnnotation(JSON_VALUE)
                .addModifiers(Modifier.PUBLIC)
                .returns(String.class)
                .addStatement("return wireValue")
                .build());
        spec.addMethod(MethodSpec.methodBuilder("known")
                .addAnnotation(Override.class)
                .addModifiers(Modifier.PUBLIC)
                .returns(boolean.class)
                .addStatement("return this != UNKNOWN")
                .build());
        spec.addMethod(MethodSpec.methodBuilder("fromWireValue")
                .addJavadoc("The constant for {@code value}; {@link #UNKNOWN} for a value this SDK does not know.\n")
                .addAnnotation(AnnotationSpec.builder(JSON_CREATOR)
                        .addMember("mode", "$T.Mode.DELEGATING", JSON_CREATOR).build())
                .addModifiers(Modifier.PUBLIC, Modifier.STATIC)
                .returns(model.name)
                .addParameter(String.class, "value")
                .beginControlFlow("for ($T candidate : values())", model.name)
                .beginControlFlow("if (candidate != UNKNOWN && candidate.wireValue.equals(value))")
                .addStatement("return candidate")
                .endControlFlow()
                .endControlFlow()
                .addStatement("return UNKNOWN")
                .build());
        return spec;
    }

    // ---------------------------------------------------------------- EventType, ServiceName

    private TypeSpec eventType(Registry registry, Map<String, Model.Declared> topLevel) {
        ClassName self = ClassName.get(javaPackage, "EventType");
        ClassName serviceName = ClassName.get(javaPackage, "ServiceName");
        TypeSpec.Builder spec = TypeSpec.enumBuilder(self).addModifiers(Modifier.PUBLIC)
                .addSuperinterface(EVENT_DESCRIPTOR)
                .addAnnotation(generated())
                .addJavadoc("Every event of the registry, with the newest version and its generated record.\n");
        boolean anyDeprecated = false;
        for (EventDef event : registry.events()) {
            ClassName record = ClassName.get(javaPackage, event.javaName());
            TypeSpec.Builder constant = TypeSpec.anonymousClassBuilder("$S, $L, $T.class, $S, $L", event.name(),
                    event.latest().version(), record, event.owner(), event.deprecated());
            constant.addJavadoc("{@code $L} v$L, sent by {@code $L}.\n", event.name(), event.latest().version(),
                    event.owner());
            Model.Declared model = topLevel.get(event.javaName());
            boolean deprecated = event.deprecated()
                    || (model instanceof RecordModel r && r.deprecated);
            if (deprecated) {
                anyDeprecated = true;
                constant.addAnnotation(Deprecated.class);
                constant.addJavadoc("@deprecated the registry marks this event deprecated\n");
            }
            spec.addEnumConstant(event.constantName(), constant.build());
        }
        if (anyDeprecated) {
            spec.addAnnotation(suppressDeprecation());
        }
        TypeName recordClass = ParameterizedTypeName.get(ClassName.get(Class.class),
                WildcardTypeName.subtypeOf(HERALD_EVENT));
        spec.addField(String.class, "wireName", Modifier.PRIVATE, Modifier.FINAL);
        spec.addField(int.class, "version", Modifier.PRIVATE, Modifier.FINAL);
        spec.addField(recordClass, "recordClass", Modifier.PRIVATE, Modifier.FINAL);
        spec.addField(String.class, "ownerService", Modifier.PRIVATE, Modifier.FINAL);
        spec.addField(boolean.class, "deprecated", Modifier.PRIVATE, Modifier.FINAL);
        spec.addMethod(MethodSpec.constructorBuilder()
                .addParameter(String.class, "wireName")
                .addParameter(int.class, "version")
                .addParameter(recordClass, "recordClass")
                .addParameter(String.class, "ownerService")
                .addParameter(boolean.class, "deprecated")
                .addStatement("this.wireName = wireName")
                .addStatement("this.version = version")
                .addStatement("this.recordClass = recordClass")
                .addStatement("this.ownerService = ownerService")
                .addStatement("this.deprecated = deprecated")
                .build());
        spec.addMethod(getter("wireName", ClassName.get(String.class)));
        spec.addMethod(getter("version", TypeName.INT));
        spec.addMethod(getter("recordClass", recordClass));
        spec.addMethod(getter("ownerService", ClassName.get(String.class)));
        spec.addMethod(getter("deprecated", TypeName.BOOLEAN));
        spec.addMethod(MethodSpec.methodBuilder("owner")
                .addJavadoc("The service allowed to send this event.\n")
                .addModifiers(Modifier.PUBLIC)
                .returns(serviceName)
                .addStatement("return $T.fromWireName(ownerService).orElseThrow()", serviceName)
                .build());
        spec.addMethod(lookup(self, "fromWireName", String.class, "wireName", "candidate.wireName.equals(wireName)",
                "The event with this wire name ({@code order.created}), if the registry has it."));
        spec.addMethod(lookup(self, "fromRecordClass", ParameterizedTypeName.get(ClassName.get(Class.class),
                        WildcardTypeName.subtypeOf(Object.class)), "recordClass",
                "candidate.recordClass.equals(recordClass)", "The event whose generated record is this class."));
        return spec.build();
    }

    private TypeSpec serviceName(Registry registry) {
        ClassName self = ClassName.get(javaPackage, "ServiceName");
        TypeSpec.Builder spec = TypeSpec.enumBuilder(self).addModifiers(Modifier.PUBLIC)
                .addSuperinterface(SERVICE_DESCRIPTOR)
                .addAnnotation(generated())
                .addJavadoc("Every service declared in the registry's {@code registry.json}.\n");
        for (ServiceDef service : registry.services()) {
            TypeSpec.Builder constant = TypeSpec.anonymousClassBuilder("$S", service.name());
            constant.addJavadoc("$L\n", service.description() == null ? "{@code " + service.name() + "}"
                    : Javadocs.escape(service.description()));
            spec.addEnumConstant(service.constantName(), constant.build());
        }
        spec.addField(String.class, "wireName", Modifier.PRIVATE, Modifier.FINAL);
        spec.addMethod(MethodSpec.constructorBuilder()
                .addParameter(String.class, "wireName")
                .addStatement("this.wireName = wireName")
                .build());
        spec.addMethod(getter("wireName", ClassName.get(String.class)));
        spec.addMethod(lookup(self, "fromWireName", String.class, "wireName", "candidate.wireName.equals(wireName)",
                "The service with this wire name ({@code order}), if the registry declares it."));
        return spec.build();
    }

    private static MethodSpec getter(String name, TypeName type) {
        return MethodSpec.methodBuilder(name)
                .addAnnotation(Override.class)
                .addModifiers(Modifier.PUBLIC)
                .returns(type)
                .addStatement("return $N", name)
                .build();
    }

    private static MethodSpec lookup(ClassName self, String method, Object paramType, String param,
                                     String condition, String javadoc) {
        TypeName type = paramType instanceof TypeName t ? t : ClassName.get((Class<?>) paramType);
        return MethodSpec.methodBuilder(method)
                .addJavadoc("$L\n", javadoc)
                .addModifiers(Modifier.PUBLIC, Modifier.STATIC)
                .returns(ParameterizedTypeName.get(OPTIONAL, self))
                .addParameter(type, param)
                .beginControlFlow("for ($T candidate : values())", self)
                .beginControlFlow("if ($L)", condition)
                .addStatement("return $T.of(candidate)", OPTIONAL)
                .endControlFlow()
                .endControlFlow()
                .addStatement("return $T.empty()", OPTIONAL)
                .build();
    }
}
