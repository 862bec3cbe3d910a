package dev.herald.schema.importer;

import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.herald.schema.Names;
import dev.herald.schema.Vocabulary;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Converts a tree of JSON Schemas as teams already have them (draft-04 to 2019-09, referencing
 * each other by {@code $id} or by path, {@code definitions}, tuple {@code items}, from the Node
 * side Zod's draft-07 export) into a Herald registry, mechanically, and says what it changed:
 *
 * <ul>
 *   <li>every file under {@code eventsDir} becomes an event: {@code issues/opened.schema.json}
 *       → {@code events/issues.opened/v1.json} (the path's words joined by {@code .});
 *       every other file a shared type: {@code types/<file-name>.json};</li>
 *   <li>{@code $schema} becomes draft 2020-12; {@code $id} is dropped; every {@code $ref} (by
 *       {@code $id}, absolute or relative, or by path) is repointed to the file's new relative
 *       path; {@code definitions} becomes {@code $defs}; draft-04's boolean
 *       {@code exclusiveMinimum}/{@code exclusiveMaximum} become numbers; array {@code items}
 *       becomes {@code prefixItems} and {@code additionalItems} {@code items};
 *       {@code dependencies} becomes {@code dependentRequired}/{@code dependentSchemas};</li>
 *   <li>each event gets {@code "x-owner": <owner>}; a {@code registry.json} names the owner.</li>
 * </ul>
 *
 * Nothing is simplified: what the generator or the gate cannot take is reported by them, with the
 * file and pointer of the imported copy.
 */
public final class SchemaImporter {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String DRAFT_2020_12 = "https://json-schema.org/draft/2020-12/schema";

    /**
     * What to import and how to name it.
     *
     * @param eventsDir the folder under {@code source} whose files are events; empty: every file not under {@code typesDir}
     * @param typesDir  the folder under {@code source} whose files are shared types whatever {@code eventsDir} says (may be empty)
     */
    public record Request(Path source, String eventsDir, String typesDir, String owner, String namespace, String javaPackage,
                          Path target) {
        /** Events under {@code eventsDir}, every other file a type. */
        public Request(Path source, String eventsDir, String owner, String namespace, String javaPackage, Path target) {
            this(source, eventsDir, "", owner, namespace, javaPackage, target);
        }
    }

    private final java.util.Map<String, Integer> foreign = new java.util.TreeMap<>();

    /** One file's import: where it came from, where it went, what changed. */
    public record Imported(String from, String to, List<String> changes) {
    }

    /** The whole import. */
    public record Report(List<Imported> files) {
        public int changes() {
            return files.stream().mapToInt(f -> f.changes().size()).sum();
        }

        /** A line per file: {@code from -> to: change; change}. */
        public String describe() {
            StringBuilder b = new StringBuilder();
            for (Imported f : files) {
                b.append(f.from()).append(" -> ").append(f.to());
                if (!f.changes().isEmpty()) {
                    b.append(": ").append(String.join("; ", f.changes()));
                }
                b.append('\n');
            }
            return b.toString();
        }
    }

    private record Source(Path file, String relative, JsonNode root, URI base, String target) {
    }

    private final Request request;
    private final Map<String, Source> byId = new HashMap<>();
    private final Map<Path, Source> byFile = new HashMap<>();

    private SchemaImporter(Request request) {
        this.request = request;
    }

    /** Imports {@code request.source()} into {@code request.target()}, which must not exist or be empty. */
    public static Report run(Request request) {
        return new SchemaImporter(request).importAll();
    }

    private Report importAll() {
        if (!Files.isDirectory(request.source())) {
            throw new IllegalArgumentException("no folder " + request.source() + " to import");
        }
        if (!Names.isValidServiceName(request.owner())) {
            throw new IllegalArgumentException("the owner \"" + request.owner() + "\" is not a service name: lower-case words joined by '-'");
        }
        try {
            if (Files.isDirectory(request.target())) {
                try (Stream<Path> existing = Files.list(request.target())) {
                    if (existing.findAny().isPresent()) {
                        throw new IllegalArgumentException(request.target() + " is not empty: import into a new folder");
                    }
                }
            }
            List<Path> files;
            try (Stream<Path> walk = Files.walk(request.source())) {
                files = walk.filter(p -> Files.isRegularFile(p) && p.toString().endsWith(".json")).sorted().toList();
            }
            Map<String, String> names = new TreeMap<>();
            for (Path file : files) {
                String relative = request.source().relativize(file).toString().replace('\\', '/');
                JsonNode root;
                try {
                    root = JSON.readTree(file.toFile());
                } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                    throw new IllegalArgumentException(relative + " is not JSON (line " + e.getLocation().getLineNr() + ", column "
                            + e.getLocation().getColumnNr() + "): " + e.getOriginalMessage() + "; fix it, or move it out of the tree");
                }
                String target = targetOf(relative);
                String clash = names.put(target, relative);
                if (clash != null) {
                    throw new IllegalArgumentException(relative + " and " + clash + " would both become " + target + ": rename one");
                }
                URI base;
                try {
                    base = root.path("$id").isTextual() ? file.toUri().resolve(URI.create(root.get("$id").textValue())) : file.toUri();
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(relative + ": its $id " + root.get("$id") + " is not a URI (" + e.getMessage() + ")");
                }
                Source s = new Source(file, relative, root, base, target);
                byFile.put(file.toAbsolutePath().normalize(), s);
                if (root.path("$id").isTextual()) {
                    byId.put(stripFragment(base.toString()), s);
                }
            }
            List<Imported> out = new ArrayList<>();
            for (Source s : byFile.values().stream().sorted((a, b) -> a.relative().compareTo(b.relative())).toList()) {
                List<String> changes = new ArrayList<>();
                JsonNode converted = convert(s, s.root().deepCopy(), changes, true);
                if (s.target().startsWith("events/") && converted.isObject()) {
                    ((ObjectNode) converted).put("x-owner", request.owner());
                    changes.add("x-owner " + request.owner() + " added");
                }
                write(request.target().resolve(s.target()), converted);
                out.add(new Imported(s.relative(), s.target(), List.copyOf(changes)));
            }
            ObjectNode registry = JSON.createObjectNode();
            registry.put("description", "Imported from " + request.source().getFileName() + " by Herald's importer.");
            registry.put("namespace", request.namespace());
            registry.put("javaPackage", request.javaPackage());
            registry.putObject("services").putObject(request.owner()).put("description", "Sends the imported events.");
            List<String> declared = new ArrayList<>();
            if (!foreign.isEmpty()) {
                // other tools' keywords: declared, so that Herald ignores them, and said, so that a typo among them is seen
                ArrayNode annotations = registry.putArray("annotationKeywords");
                foreign.forEach((k, n) -> {
                    annotations.add(k);
                    declared.add(k + " (" + n + " uses)");
                });
            }
            write(request.target().resolve("registry.json"), registry);
            if (!declared.isEmpty()) {
                out.add(new Imported("(all files)", "registry.json", List.of("declared as annotation keywords, not JSON Schema: "
                        + String.join(", ", declared) + "; check that none is a misspelt keyword")));
            }
            return new Report(List.copyOf(out));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code issues/opened.schema.json} under the events folder → {@code events/issues.opened/v1.json}; else {@code types/<name>.json}. */
    private String targetOf(String relative) {
        String prefix = request.eventsDir() == null || request.eventsDir().isEmpty() ? "" : request.eventsDir().replaceAll("/+$", "") + "/";
        String typesPrefix = request.typesDir() == null || request.typesDir().isEmpty() ? null : request.typesDir().replaceAll("/+$", "") + "/";
        String stem = relative.replaceAll("(\\.schema)?\\.json$", "");
        boolean type = typesPrefix != null && relative.startsWith(typesPrefix);
        if (!type && (prefix.isEmpty() ? typesPrefix != null : relative.startsWith(prefix))) {
            String path = stem.substring(prefix.length());
            List<String> words = new ArrayList<>();
            for (String part : path.split("/")) {
                words.add(kebab(part));
            }
            String name = String.join(".", words);
            if (!name.contains(".")) {
                name = name + ".happened";
            }
            if (!Names.isValidEventName(name)) {
                throw new IllegalArgumentException(relative + " would be the event \"" + name + "\", which is not domain.action: rename the file");
            }
            return "events/" + name + "/v1.json";
        }
        String name = kebab(stem.substring(stem.lastIndexOf('/') + 1));
        return "types/" + name + ".json";
    }

    private static String kebab(String s) {
        String k = s.replaceAll("([a-z0-9])([A-Z])", "$1-$2").replaceAll("[^A-Za-z0-9]+", "-").toLowerCase(Locale.ROOT)
                .replaceAll("^-+|-+$", "");
        return k.isEmpty() ? "x" : Character.isLetter(k.charAt(0)) ? k : "t-" + k;
    }

    private JsonNode convert(Source s, JsonNode node, List<String> changes, boolean root) {
        if (node.isArray()) {
            ArrayNode a = (ArrayNode) node;
            for (int i = 0; i < a.size(); i++) {
                a.set(i, convert(s, a.get(i), changes, false));
            }
            return a;
        }
        if (!node.isObject()) {
            return node;
        }
        ObjectNode o = (ObjectNode) node;
        if (o.has("$schema") || root) {
            if (!DRAFT_2020_12.equals(o.path("$schema").asText(null))) {
                changes.add("$schema " + o.path("$schema").asText("(none)") + " -> draft 2020-12");
            }
            if (root) {
                o.put("$schema", DRAFT_2020_12);
            } else {
                o.remove("$schema");
            }
        }
        if (o.path("$id").isTextual() && o.get("$id").asText().startsWith("#") && o.get("$id").asText().length() > 1) {
            // draft-07's plain-name fragment: an anchor, as 2020-12 writes it
            String anchor = o.remove("$id").asText().substring(1);
            o.put("$anchor", anchor);
            changes.add("$id #" + anchor + " -> $anchor " + anchor);
        }
        if (o.has("$id")) {
            changes.add("$id " + o.get("$id").asText() + " dropped");
            o.remove("$id");
        }
        if (o.has("definitions")) {
            JsonNode defs = o.remove("definitions");
            o.set("$defs", defs);
            changes.add("definitions -> $defs");
        }
        if (o.path("exclusiveMinimum").isBoolean()) {
            boolean ex = o.remove("exclusiveMinimum").booleanValue();
            if (ex && o.has("minimum")) {
                o.set("exclusiveMinimum", o.remove("minimum"));
            }
            changes.add("boolean exclusiveMinimum -> number");
        }
        if (o.path("exclusiveMaximum").isBoolean()) {
            boolean ex = o.remove("exclusiveMaximum").booleanValue();
            if (ex && o.has("maximum")) {
                o.set("exclusiveMaximum", o.remove("maximum"));
            }
            changes.add("boolean exclusiveMaximum -> number");
        }
        if (o.path("items").isArray()) {
            o.set("prefixItems", o.remove("items"));
            if (o.has("additionalItems")) {
                o.set("items", o.remove("additionalItems"));
            }
            changes.add("tuple items -> prefixItems");
        }
        if (o.has("dependencies") && o.get("dependencies").isObject()) {
            ObjectNode required = JSON.createObjectNode();
            ObjectNode schemas = JSON.createObjectNode();
            o.remove("dependencies").properties().forEach(e -> (e.getValue().isArray() ? required : schemas).set(e.getKey(), e.getValue()));
            if (!required.isEmpty()) {
                o.set("dependentRequired", required);
            }
            if (!schemas.isEmpty()) {
                o.set("dependentSchemas", schemas);
            }
            changes.add("dependencies -> dependentRequired/dependentSchemas");
        }
        if (o.path("$ref").isTextual()) {
            String was = o.get("$ref").textValue();
            String now = repoint(s, was);
            if (!now.equals(was)) {
                o.put("$ref", now);
                changes.add("$ref " + was + " -> " + now);
            }
        }
        List<String> keys = new ArrayList<>();
        o.fieldNames().forEachRemaining(keys::add);
        for (String k : keys) {
            if (!Vocabulary.ALL_DRAFT_KEYWORDS.contains(k) && !Vocabulary.HERALD_KEYWORDS.contains(k)) {
                foreign.merge(k, 1, Integer::sum);
                continue; // another tool's keyword: its value is not a schema
            }
            if (!Vocabulary.SCHEMA_VALUED.contains(k)) {
                continue; // a value (a bound, a list of names, data), not schemas
            }
            JsonNode v = o.get(k);
            if (Set.of("properties", "patternProperties", "$defs", "definitions", "dependentSchemas", "dependencies").contains(k) && v.isObject()) {
                ObjectNode map = (ObjectNode) v;
                List<String> names = new ArrayList<>();
                map.fieldNames().forEachRemaining(names::add);
                for (String name : names) {
                    map.set(name, convert(s, map.get(name), changes, false));
                }
            } else {
                o.set(k, convert(s, v, changes, false));
            }
        }
        return o;
    }

    /** A {@code $ref} written in {@code s}, pointing where the target went. */
    private String repoint(Source s, String ref) {
        int hash = ref.indexOf('#');
        String file = hash < 0 ? ref : ref.substring(0, hash);
        String fragment = hash < 0 ? "" : ref.substring(hash);
        fragment = fragment.replace("/definitions/", "/$defs/"); // at any depth: every definitions became $defs
        if (file.isEmpty()) {
            return fragment;
        }
        Source target = byId.get(stripFragment(s.base().resolve(file).toString()));
        if (target == null) {
            URI resolved = s.file().toUri().resolve(file);
            if ("file".equals(resolved.getScheme())) {
                target = byFile.get(Path.of(resolved).toAbsolutePath().normalize());
            }
        }
        if (target == null) {
            // some trees write every $ref relative to the tree's root (octokit's webhooks do)
            target = byFile.get(request.source().resolve(file).toAbsolutePath().normalize());
        }
        if (target == null) {
            return file + fragment; // left as written: the loader reports where it leads nowhere
        }
        return relative(s.target(), target.target()) + fragment;
    }

    private static String stripFragment(String uri) {
        int hash = uri.indexOf('#');
        return hash < 0 ? uri : uri.substring(0, hash);
    }

    private static String relative(String from, String to) {
        if (from.equals(to)) {
            return "";
        }
        Path f = Path.of(from).getParent();
        return f.relativize(Path.of(to)).toString().replace('\\', '/');
    }

    private static void write(Path file, JsonNode node) throws IOException {
        Files.createDirectories(file.getParent());
        DefaultPrettyPrinter pretty = new DefaultPrettyPrinter().withObjectIndenter(new DefaultIndenter("  ", "\n"));
        Files.writeString(file, JSON.writer(pretty).writeValueAsString(node) + "\n");
    }

}
