package dev.herald.schema;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Loads a registry folder ({@code schemas/}) into a {@link Registry}: parses every file with
 * locations, checks each schema against draft 2020-12, checks names, versions and owners, and
 * links every {@code $ref}. It reports all problems at once, each with file, line, pointer and fix.
 */
public final class RegistryLoader {

    public static final String REGISTRY_FILE = "registry.json";
    public static final String COMPAT_FILE = "compat.json";
    public static final String EVENTS_DIR = "events";
    public static final String TYPES_DIR = "types";
    public static final String DEFAULT_NAMESPACE = "herald";

    private static final Pattern NAMESPACE = Pattern.compile("[a-z][a-z0-9-]*");
    private static final Pattern JAVA_PACKAGE = Pattern.compile("[a-z_][a-z0-9_]*(\\.[a-z_][a-z0-9_]*)*");

    /** Keywords whose value is one subschema. */
    private static final List<String> SUBSCHEMA = List.of("items", "additionalProperties", "not", "if", "then",
            "else", "contains", "propertyNames", "unevaluatedItems", "unevaluatedProperties", "contentSchema");
    /** Keywords whose value is an array of subschemas. */
    private static final List<String> SUBSCHEMA_ARRAYS = List.of("allOf", "anyOf", "oneOf", "prefixItems");
    /** Keywords whose value maps names to subschemas. */
    private static final List<String> SUBSCHEMA_MAPS = List.of("properties", "patternProperties", "$defs",
            "definitions", "dependentSchemas");

    private final List<Problem> problems = new ArrayList<>();
    /** Files already reported as unreadable: a $ref to one of them is not reported a second time. */
    private final java.util.Set<String> unreadable = new java.util.HashSet<>();
    private final Path root;
    /** Files checked when they were published (a baseline holds them byte for byte); see {@link #load(Path, Predicate)}. */
    private final java.util.function.Predicate<SchemaDocument> checkedBefore;

    private RegistryLoader(Path root, java.util.function.Predicate<SchemaDocument> checkedBefore) {
        this.root = root;
        this.checkedBefore = checkedBefore;
    }

    /**
     * Loads and checks the registry in {@code schemasDir}.
     *
     * @throws RegistryException with every problem found
     */
    public static Registry load(Path schemasDir) {
        return load(schemasDir, doc -> false);
    }

    /**
     * Loads and checks the registry, trusting the files {@code checkedBefore} accepts: they were
     * checked when they were published (the gate passes the files its baseline holds byte for
     * byte), so the meta-schema and their examples are not checked again, which is most of the
     * cost of a large registry. Names, versions and {@code $ref}s are still checked everywhere, and
     * examples are checked again wherever a shared type is not trusted.
     *
     * @throws RegistryException with every problem found
     */
    public static Registry load(Path schemasDir, java.util.function.Predicate<SchemaDocument> checkedBefore) {
        Loaded loaded = loadWithProblems(schemasDir, checkedBefore);
        if (!loaded.problems().isEmpty()) {
            throw new RegistryException(loaded.problems());
        }
        return loaded.registry();
    }

    /**
     * What loaded, and the loader's problems: a registry with problems is still returned when its
     * {@code registry.json} could be read, so that the next phase (the generator) can report its
     * own problems in the same run instead of after the user fixed these.
     *
     * @param registry null when there is nothing to go on (no folder, no readable registry.json or javaPackage)
     */
    public record Loaded(Registry registry, List<Problem> problems) {
        public Loaded {
            problems = List.copyOf(problems);
        }
    }

    /** Loads without throwing for problems in the schemas; see {@link Loaded}. */
    public static Loaded loadWithProblems(Path schemasDir) {
        return loadWithProblems(schemasDir, doc -> false);
    }

    private static Loaded loadWithProblems(Path schemasDir, java.util.function.Predicate<SchemaDocument> checkedBefore) {
        RegistryLoader loader = new RegistryLoader(schemasDir, checkedBefore);
        try {
            Registry registry = loader.load();
            return new Loaded(registry, loader.problems);
        } catch (RegistryException e) {
            return new Loaded(null, e.problems());
        }
    }

    private Registry load() {
        if (!Files.isDirectory(root)) {
            throw new RegistryException(new Problem(SourceLocation.ofFile(root),
                    "the schema registry folder does not exist",
                    "create it with a " + REGISTRY_FILE + " and an " + EVENTS_DIR + "/ folder, or point the build at the right folder"));
        }
        Path registryFile = root.resolve(REGISTRY_FILE);
        if (!Files.isRegularFile(registryFile)) {
            throw new RegistryException(new Problem(SourceLocation.ofFile(registryFile),
                    "the registry has no " + REGISTRY_FILE,
                    "create it: {\"namespace\": \"herald\", \"javaPackage\": \"com.example.events\", \"services\": {\"order\": {\"description\": \"...\"}}}"));
        }
        SchemaDocument registryDocument = parse(registryFile, REGISTRY_FILE);
        String namespace = DEFAULT_NAMESPACE;
        String javaPackage = null;
        List<ServiceDef> services = new ArrayList<>();
        List<String> annotationKeywords = List.of();
        if (registryDocument != null) {
            namespace = readNamespace(registryDocument);
            javaPackage = readJavaPackage(registryDocument);
            services = readServices(registryDocument);
            annotationKeywords = readAnnotationKeywords(registryDocument);
        }

        Map<String, SchemaDocument> documents = new TreeMap<>();
        List<TypeDef> types = loadTypes(documents);
        Map<String, List<EventVersion>> versions = loadEvents(documents);

        SchemaDocument compat = null;
        Path compatFile = root.resolve(COMPAT_FILE);
        if (Files.isRegularFile(compatFile)) {
            compat = parse(compatFile, COMPAT_FILE);
        }

        // The meta-schema check is the loader's main cost on a large registry: run it in parallel
        // (each file on its own), keeping the problems in file order.
        Map<String, Boolean> trusted = new java.util.concurrent.ConcurrentHashMap<>();
        documents.values().parallelStream().forEach(d -> trusted.put(d.relativePath(), checkedBefore.test(d)));
        documents.values().parallelStream().filter(d -> !trusted.get(d.relativePath())).map(MetaSchema::check).toList()
                .forEach(problems::addAll);
        for (SchemaDocument document : documents.values()) {
            walkSchema(document, document.root(), "", documents);
        }

        if (problems.isEmpty()) {
            boolean typesTrusted = documents.values().stream()
                    .allMatch(d -> !d.relativePath().startsWith(TYPES_DIR + "/") || trusted.get(d.relativePath()));
            problems.addAll(ExampleCheck.check(documents, d -> typesTrusted && trusted.get(d.relativePath())));
        }

        List<EventDef> events = new ArrayList<>();
        for (Map.Entry<String, List<EventVersion>> entry : versions.entrySet()) {
            EventDef event = toEvent(entry.getKey(), entry.getValue(), services);
            if (event != null) {
                events.add(event);
            }
        }

        if (registryDocument == null || javaPackage == null) {
            throw new RegistryException(problems);
        }
        return new Registry(root, namespace, javaPackage, registryDocument, services, events, types, compat, documents,
                annotationKeywords);
    }

    private SchemaDocument parse(Path file, String relativePath) {
        try {
            return SchemaDocument.parse(file, relativePath);
        } catch (RegistryException e) {
            unreadable.add(relativePath);
            problems.addAll(e.problems());
            return null;
        }
    }

    private String readNamespace(SchemaDocument registry) {
        JsonNode node = registry.root().get("namespace");
        if (node == null) {
            return DEFAULT_NAMESPACE;
        }
        if (!node.isTextual() || !NAMESPACE.matcher(node.textValue()).matches()) {
            problems.add(new Problem(registry.locate("/namespace"),
                    "namespace " + node + " is not a lower-case word",
                    "use letters, digits and '-', starting with a letter, e.g. \"herald\" or \"shop-events\""));
            return DEFAULT_NAMESPACE;
        }
        return node.textValue();
    }

    private String readJavaPackage(SchemaDocument registry) {
        JsonNode node = registry.root().get("javaPackage");
        if (node == null || !node.isTextual() || !JAVA_PACKAGE.matcher(node.textValue()).matches()) {
            problems.add(new Problem(registry.locate(node == null ? "" : "/javaPackage"),
                    node == null ? "registry.json has no javaPackage" : "javaPackage " + node + " is not a Java package name",
                    "set \"javaPackage\" to the package the SDK is generated into, e.g. \"com.example.events\""));
            return null;
        }
        return node.textValue();
    }

    private List<String> readAnnotationKeywords(SchemaDocument registry) {
        JsonNode node = registry.root().get("annotationKeywords");
        if (node == null) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        if (!node.isArray()) {
            problems.add(new Problem(registry.locate("/annotationKeywords"), "annotationKeywords must be an array of keyword names",
                    "write it as \"annotationKeywords\": [\"tsAdditionalProperties\", \"x-vendor-*\"]"));
            return out;
        }
        for (int i = 0; i < node.size(); i++) {
            JsonNode k = node.get(i);
            String pointer = "/annotationKeywords/" + i;
            if (!k.isTextual() || k.textValue().isBlank() || k.textValue().equals("*")) {
                problems.add(new Problem(registry.locate(pointer), "annotationKeywords entry " + k + " is not a keyword name or prefix",
                        "write a name such as \"tsAdditionalProperties\", or a prefix such as \"x-vendor-*\""));
                continue;
            }
            String keyword = k.textValue();
            // a name, or a prefix that would cover one, of a JSON Schema or Herald keyword
            String prefix = keyword.endsWith("*") ? keyword.substring(0, keyword.length() - 1) : null;
            boolean validating = Vocabulary.HERALD_KEYWORDS.contains(keyword) || keyword.startsWith("$")
                    || (prefix == null ? Vocabulary.ALL_DRAFT_KEYWORDS.contains(keyword)
                    : Vocabulary.ALL_DRAFT_KEYWORDS.stream().anyMatch(known -> known.startsWith(prefix))
                    || Vocabulary.HERALD_KEYWORDS.stream().anyMatch(known -> known.startsWith(prefix)));
            if (validating) {
                problems.add(new Problem(registry.locate(pointer), "\"" + keyword + "\" is a JSON Schema or Herald keyword, not a foreign annotation",
                        "remove it from annotationKeywords: Herald must read it"));
                continue;
            }
            out.add(keyword);
        }
        return out;
    }

    private List<ServiceDef> readServices(SchemaDocument registry) {
        List<ServiceDef> services = new ArrayList<>();
        JsonNode node = registry.root().get("services");
        if (node == null || !node.isObject() || node.isEmpty()) {
            problems.add(new Problem(registry.locate(node == null ? "" : "/services"),
                    "registry.json declares no services",
                    "add \"services\": {\"<name>\": {\"description\": \"what the service does\"}}, one entry per service"));
            return services;
        }
        for (Map.Entry<String, JsonNode> entry : node.properties()) {
            String name = entry.getKey();
            String pointer = "/services/" + SchemaDocument.escape(name);
            if (!Names.isValidServiceName(name)) {
                problems.add(new Problem(registry.locate(pointer),
                        "service name \"" + name + "\" is not a lower-case name",
                        "use lower-case letters, digits and '-', e.g. \"order\" or \"stock-sync\""));
                continue;
            }
            JsonNode description = entry.getValue().get("description");
            services.add(new ServiceDef(name, description != null && description.isTextual() ? description.textValue() : "",
                    registry.locate(pointer), readListens(registry, entry.getValue().get("listens"), pointer + "/listens")));
        }
        services.sort(Comparator.comparing(ServiceDef::name));
        return services;
    }

    /** The event patterns a service declares it listens to (optional; the gate names them in findings). */
    private List<String> readListens(SchemaDocument registry, JsonNode listens, String pointer) {
        List<String> out = new ArrayList<>();
        if (listens == null) {
            return out;
        }
        if (!listens.isArray()) {
            problems.add(new Problem(registry.locate(pointer), "\"listens\" must be a list of event names or patterns",
                    "write e.g. \"listens\": [\"order.created\", \"payment.*\"]"));
            return out;
        }
        for (int i = 0; i < listens.size(); i++) {
            JsonNode p = listens.get(i);
            try {
                if (!p.isTextual()) {
                    throw new IllegalArgumentException("a listener pattern must be a string, found " + p);
                }
                EventPattern.check(p.textValue());
                out.add(p.textValue());
            } catch (IllegalArgumentException e) {
                problems.add(new Problem(registry.locate(pointer + "/" + i), e.getMessage(),
                        "use an event name (order.created), '*' for one segment (order.*) or '**' for any (**)"));
            }
        }
        return out;
    }

    private List<TypeDef> loadTypes(Map<String, SchemaDocument> documents) {
        List<TypeDef> types = new ArrayList<>();
        Path dir = root.resolve(TYPES_DIR);
        if (!Files.isDirectory(dir)) {
            return types;
        }
        for (Path file : list(dir)) {
            String fileName = file.getFileName().toString();
            if (Files.isDirectory(file) || !fileName.endsWith(".json")) {
                problems.add(new Problem(SourceLocation.ofFile(file),
                        "types/ holds only shared schema files named <type-name>.json",
                        "move or remove " + fileName));
                continue;
            }
            String name = fileName.substring(0, fileName.length() - ".json".length());
            if (!Names.isValidTypeName(name)) {
                problems.add(new Problem(SourceLocation.ofFile(file),
                        "type name \"" + name + "\" is not a lower-case name",
                        "rename the file with lower-case letters, digits and '-', e.g. money.json or postal-address.json"));
                continue;
            }
            SchemaDocument document = parse(file, TYPES_DIR + "/" + fileName);
            if (document != null) {
                documents.put(document.relativePath(), document);
                types.add(new TypeDef(name, document));
            }
        }
        return types;
    }

    private Map<String, List<EventVersion>> loadEvents(Map<String, SchemaDocument> documents) {
        Map<String, List<EventVersion>> events = new TreeMap<>();
        Path dir = root.resolve(EVENTS_DIR);
        if (!Files.isDirectory(dir)) {
            problems.add(new Problem(SourceLocation.ofFile(dir),
                    "the registry has no " + EVENTS_DIR + "/ folder",
                    "add events/<domain.action>/v1.json for the first event"));
            return events;
        }
        for (Path eventDir : list(dir)) {
            String name = eventDir.getFileName().toString();
            if (!Files.isDirectory(eventDir)) {
                problems.add(new Problem(SourceLocation.ofFile(eventDir),
                        "events/ holds one folder per event, not files",
                        "move it to events/<domain.action>/v1.json"));
                continue;
            }
            if (!Names.isValidEventName(name)) {
                problems.add(new Problem(SourceLocation.ofFile(eventDir),
                        "event name \"" + name + "\" is not of the form domain.action",
                        "rename the folder in lower case with a dot between domain and action, e.g. order.created or order.status-changed"));
                continue;
            }
            Map<Integer, Path> files = new TreeMap<>();
            for (Path file : list(eventDir)) {
                Matcher m = Names.VERSION_FILE.matcher(file.getFileName().toString());
                if (!m.matches() || Files.isDirectory(file)) {
                    problems.add(new Problem(SourceLocation.ofFile(file),
                            "an event folder holds only version files v1.json, v2.json, ...",
                            "rename it to v<N>.json or move it out of " + EVENTS_DIR + "/" + name));
                    continue;
                }
                files.put(Integer.parseInt(m.group(1)), file);
            }
            if (files.isEmpty()) {
                problems.add(new Problem(SourceLocation.ofFile(eventDir),
                        "event " + name + " has no version file", "add " + EVENTS_DIR + "/" + name + "/v1.json"));
                continue;
            }
            int expected = 1;
            List<EventVersion> versions = new ArrayList<>();
            for (Map.Entry<Integer, Path> file : files.entrySet()) {
                if (file.getKey() != expected) {
                    problems.add(new Problem(SourceLocation.ofFile(file.getValue()),
                            "event " + name + " jumps from v" + (expected - 1) + " to v" + file.getKey()
                                    + ": v" + expected + " is missing",
                            "versions are numbered without gaps: rename v" + file.getKey() + ".json to v" + expected
                                    + ".json, or restore v" + expected + ".json from git if it was published"));
                }
                expected = file.getKey() + 1;
                SchemaDocument document = parse(file.getValue(), EVENTS_DIR + "/" + name + "/v" + file.getKey() + ".json");
                if (document != null) {
                    documents.put(document.relativePath(), document);
                    versions.add(new EventVersion(name, file.getKey(), document));
                }
            }
            if (!versions.isEmpty()) {
                events.put(name, versions);
            }
        }
        return events;
    }

    private EventDef toEvent(String name, List<EventVersion> versions, List<ServiceDef> services) {
        String owner = null;
        boolean deprecated = false;
        String description = "";
        for (EventVersion version : versions) {
            SchemaDocument doc = version.document();
            JsonNode root = doc.root();
            if (!root.isObject()) {
                continue; // the meta-schema check has already reported it
            }
            JsonNode type = root.get("type");
            // an allOf root (a base type plus this event's properties) and a oneOf/anyOf root (one of
            // several shapes) are checked by the generator, which knows what they become
            boolean composed = type == null && (root.has("allOf") || root.has("oneOf") || root.has("anyOf"));
            if (!composed && (type == null || !type.isTextual() || !type.textValue().equals("object"))) {
                problems.add(new Problem(doc.locate(type == null ? "" : "/type"),
                        "an event's schema must describe a JSON object",
                        "set \"type\": \"object\" at the top level and list the fields under \"properties\""));
            }
            JsonNode ownerNode = root.get("x-owner");
            if (ownerNode == null || !ownerNode.isTextual()) {
                problems.add(new Problem(doc.locate(ownerNode == null ? "" : "/x-owner"),
                        "event " + name + " v" + version.version() + " has no x-owner",
                        "add \"x-owner\": \"<service>\" naming the only service that may send it (one of "
                                + serviceNames(services) + ")"));
                owner = null;
            } else if (services.stream().noneMatch(s -> s.name().equals(ownerNode.textValue()))) {
                problems.add(new Problem(doc.locate("/x-owner"),
                        "x-owner \"" + ownerNode.textValue() + "\" is not a service of registry.json",
                        "use one of " + serviceNames(services) + ", or declare the service in registry.json"));
                owner = null;
            } else {
                owner = ownerNode.textValue();
            }
            JsonNode dep = root.get("deprecated");
            deprecated = dep != null && dep.asBoolean(false);
            JsonNode desc = root.get("description");
            description = desc != null && desc.isTextual() ? desc.textValue() : "";
        }
        return owner == null ? null : new EventDef(name, owner, deprecated, description, versions);
    }

    private static String serviceNames(List<ServiceDef> services) {
        return services.stream().map(ServiceDef::name).reduce((a, b) -> a + ", " + b).orElse("(none declared)");
    }

    /** Walks the schema keywords (not data such as examples or enum values) for $ref, $id and Herald's keywords. */
    private void walkSchema(SchemaDocument doc, JsonNode schema, String pointer, Map<String, SchemaDocument> documents) {
        if (!schema.isObject()) {
            return;
        }
        JsonNode ref = schema.get("$ref");
        if (ref != null && ref.isTextual() && !unreadable.contains(Registry.targetPath(doc, ref.textValue()))) {
            try {
                Registry.resolve(documents, doc, ref.textValue(), pointer + "/$ref");
            } catch (RegistryException e) {
                problems.addAll(e.problems());
            }
        }
        if (schema.has("$dynamicRef")) {
            problems.add(new Problem(doc.locate(pointer + "/$dynamicRef"),
                    "$dynamicRef is not supported by Herald", "use a plain $ref to a definition"));
        }
        if (schema.has("$id")) {
            problems.add(new Problem(doc.locate(pointer + "/$id"),
                    "$id is not used in a Herald registry: a schema is identified by its path",
                    "remove \"$id\"; refer to other files with relative paths such as \"../../types/money.json\""));
        }
        checkStringList(doc, schema, pointer, "x-aliases", "earlier names of this property");
        checkStringList(doc, schema, pointer, "x-reserved", "property names that were removed and may never come back");
        for (String keyword : SUBSCHEMA) {
            JsonNode sub = schema.get(keyword);
            if (sub != null) {
                walkSchema(doc, sub, pointer + "/" + keyword, documents);
            }
        }
        for (String keyword : SUBSCHEMA_ARRAYS) {
            JsonNode subs = schema.get(keyword);
            if (subs != null && subs.isArray()) {
                for (int i = 0; i < subs.size(); i++) {
                    walkSchema(doc, subs.get(i), pointer + "/" + keyword + "/" + i, documents);
                }
            }
        }
        for (String keyword : SUBSCHEMA_MAPS) {
            JsonNode subs = schema.get(keyword);
            if (subs != null && subs.isObject()) {
                for (Map.Entry<String, JsonNode> e : subs.properties()) {
                    walkSchema(doc, e.getValue(), pointer + "/" + keyword + "/" + SchemaDocument.escape(e.getKey()), documents);
                }
            }
        }
    }

    private void checkStringList(SchemaDocument doc, JsonNode schema, String pointer, String keyword, String meaning) {
        JsonNode value = schema.get(keyword);
        if (value == null) {
            return;
        }
        boolean ok = value.isArray();
        if (ok) {
            for (JsonNode item : value) {
                ok &= item.isTextual();
            }
        }
        if (!ok) {
            problems.add(new Problem(doc.locate(pointer + "/" + keyword),
                    keyword + " must be an array of strings (" + meaning + ")",
                    "write it as \"" + keyword + "\": [\"name\", ...]"));
        }
    }

    private List<Path> list(Path dir) {
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.filter(p -> !p.getFileName().toString().startsWith("."))
                    .sorted(Comparator.comparing(p -> p.getFileName().toString()))
                    .toList();
        } catch (IOException e) {
            problems.add(new Problem(SourceLocation.ofFile(dir), "cannot list the folder: " + e.getMessage(),
                    "check that it is readable"));
            return List.of();
        }
    }

}
