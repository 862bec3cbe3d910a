package dev.herald.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The event catalog the generator writes into the SDK jar ({@code META-INF/herald/catalog.json}
 * plus every schema file under {@code META-INF/herald/schemas/}). Maps record classes to event
 * names and versions, and validates raw JSON {@code data} against the real JSON Schema
 * (draft 2020-12, networknt json-schema-validator), resolving relative {@code $ref}s between the
 * schema files on the class path.
 *
 * <p>Several catalogs on one class path (two SDK jars) are merged; an event defined twice
 * differently is an error.
 */
public final class Catalog {

    public static final String CATALOG_RESOURCE = "META-INF/herald/catalog.json";
    public static final String SCHEMA_ROOT = "META-INF/herald/schemas/";
    /** Base IRI the schema files are given so that relative {@code $ref}s resolve among them. */
    static final String SCHEMA_BASE_IRI = "https://catalog.herald.invalid/schemas/";

    /** One event of the catalog. */
    public record EventInfo(String name, int version, List<Integer> versions, String owner,
                            boolean deprecated, String javaClass, Map<Integer, String> schemas) {

        /** {@code herald:<name>/v<version>}, the envelope's {@code dataschema}. */
        public String dataschema(int v) {
            return "herald:" + name + "/v" + v;
        }
    }

    private final String namespace;
    private final Set<String> services;
    private final Map<String, EventInfo> events;
    private final Map<String, EventInfo> eventsByClass;
    private final ClassLoader classLoader;
    private final SchemaRegistry schemaRegistry;
    private final Map<String, Schema> schemas = new ConcurrentHashMap<>();
    private final Map<String, Class<?>> recordClasses = new ConcurrentHashMap<>();

    private Catalog(String namespace, Set<String> services, Map<String, EventInfo> events, ClassLoader classLoader) {
        this.namespace = namespace;
        this.services = Collections.unmodifiableSet(services);
        this.events = Collections.unmodifiableMap(events);
        Map<String, EventInfo> byClass = new ConcurrentHashMap<>();
        events.values().forEach(e -> {
            if (e.javaClass() != null) {
                byClass.put(e.javaClass(), e);
            }
        });
        this.eventsByClass = byClass;
        this.classLoader = classLoader;
        // Formats are asserted: a uuid field holding "not-a-uuid" is refused here, at the broker,
        // rather than by the consumer's deserializer after it was routed.
        this.schemaRegistry = dev.herald.schema.HeraldDialect.validatorRegistry(this::schemaText);
    }

    /** The catalog(s) visible to the context class loader, or to this class's loader. */
    public static Catalog fromClasspath() {
        ClassLoader cl = Thread.currentThread().getContextClassLoader();
        return load(cl != null ? cl : Catalog.class.getClassLoader());
    }

    /** Loads and merges every {@value #CATALOG_RESOURCE} visible to {@code classLoader}. */
    public static Catalog load(ClassLoader classLoader) {
        try {
            Enumeration<URL> urls = classLoader.getResources(CATALOG_RESOURCE);
            String namespace = null;
            Set<String> services = new TreeSet<>();
            Map<String, EventInfo> events = new TreeMap<>();
            int found = 0;
            while (urls.hasMoreElements()) {
                URL url = urls.nextElement();
                found++;
                JsonNode root;
                try (InputStream in = url.openStream()) {
                    root = Json.mapper().readTree(in);
                }
                String ns = root.path("namespace").asText("herald");
                if (namespace == null) {
                    namespace = ns;
                }
                root.path("services").forEach(s -> services.add(s.asText()));
                for (JsonNode e : root.path("events")) {
                    EventInfo info = parseEvent(e);
                    EventInfo previous = events.putIfAbsent(info.name(), info);
                    if (previous != null && !previous.equals(info)) {
                        throw new HeraldException("event " + info.name() + " is defined differently by two catalogs on the class path (" + url + ")");
                    }
                }
            }
            if (found == 0) {
                throw new HeraldException("no " + CATALOG_RESOURCE + " on the class path: add the generated SDK (herald-generated-sdk or your own) as a dependency");
            }
            return new Catalog(namespace, services, events, classLoader);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + CATALOG_RESOURCE, e);
        }
    }

    private static EventInfo parseEvent(JsonNode e) {
        List<Integer> versions = new ArrayList<>();
        e.path("versions").forEach(v -> versions.add(v.asInt()));
        Map<Integer, String> schemaPaths = new TreeMap<>();
        e.path("schemas").properties().forEach(f -> schemaPaths.put(Integer.parseInt(f.getKey()), f.getValue().asText()));
        int version = e.path("version").asInt();
        if (versions.isEmpty()) {
            versions.add(version);
        }
        return new EventInfo(e.path("name").asText(), version, List.copyOf(versions), e.path("owner").asText(null),
                e.path("deprecated").asBoolean(false), e.path("javaClass").asText(null), Collections.unmodifiableMap(schemaPaths));
    }

    public String namespace() {
        return namespace;
    }

    public Set<String> services() {
        return services;
    }

    public Collection<EventInfo> events() {
        return events.values();
    }

    public Optional<EventInfo> event(String name) {
        return Optional.ofNullable(events.get(name));
    }

    /** The event a generated record class stands for. */
    public Optional<EventInfo> eventFor(Class<?> recordClass) {
        EventInfo info = eventsByClass.get(recordClass.getName());
        if (info == null) {
            // a branch of an event whose payload is one of several shapes: the event is its sealed interface
            for (Class<?> i : recordClass.getInterfaces()) {
                info = eventsByClass.get(i.getName());
                if (info != null) {
                    break;
                }
            }
        }
        return Optional.ofNullable(info);
    }

    /** The record class of an event, loaded from the catalog's class loader; empty if absent. */
    public Optional<Class<?>> recordClass(String eventName) {
        EventInfo info = events.get(eventName);
        if (info == null || info.javaClass() == null) {
            return Optional.empty();
        }
        Class<?> c = recordClasses.computeIfAbsent(info.javaClass(), n -> {
            try {
                return Class.forName(n, false, classLoader);
            } catch (ClassNotFoundException e) {
                return Void.class;
            }
        });
        return c == Void.class ? Optional.empty() : Optional.of(c);
    }

    /** Validation stops after this many violations: an event with a million bad elements must not build a million errors. */
    public static final int MAX_VIOLATIONS = 100;

    /**
     * Validates {@code data} against the schema of {@code event} version {@code version}.
     *
     * @return the violations, empty when valid; one line each, {@code $.path: message}; after
     *         {@link #MAX_VIOLATIONS} validation stops and a last line says so
     * @throws HeraldException if the event or version is unknown
     */
    public List<String> validateData(String event, int version, JsonNode data) {
        Schema schema = schema(event, version);
        BoundedErrors errors = new BoundedErrors(MAX_VIOLATIONS);
        try {
            schema.validate(data, ctx -> ctx.setErrors(errors));
        } catch (BoundedErrors.Full full) {
            // stopped early; what was found is in errors
        }
        if (errors.isEmpty()) {
            return List.of();
        }
        List<String> out = new ArrayList<>(errors.size() + 1);
        for (Error error : errors) {
            out.add(path(String.valueOf(error.getInstanceLocation())) + ": " + error.getMessage());
        }
        if (errors.full) {
            out.add("(validation stopped after " + MAX_VIOLATIONS + " violations)");
        }
        return out;
    }

    /** The validator's error list, which ends the validation when it is full. */
    private static final class BoundedErrors extends ArrayList<Error> {
        private static final long serialVersionUID = 1L;
        private final int max;
        boolean full;

        static final class Full extends RuntimeException {
            private static final long serialVersionUID = 1L;

            Full() {
                super(null, null, false, false);
            }
        }

        BoundedErrors(int max) {
            this.max = max;
        }

        @Override
        public boolean add(Error e) {
            if (size() >= max) {
                full = true;
                throw new Full();
            }
            return super.add(e);
        }
    }

    /** A JSON pointer as a property path: {@code /parts/1/quantity} becomes {@code parts[1].quantity}. */
    static String path(String pointer) {
        if (pointer == null || pointer.isEmpty() || pointer.equals("/") || pointer.equals("$")) {
            return "$";
        }
        if (!pointer.startsWith("/")) {
            return pointer.startsWith("$.") ? pointer.substring(2) : pointer;
        }
        StringBuilder b = new StringBuilder();
        for (String seg : pointer.substring(1).split("/", -1)) {
            String s = seg.replace("~1", "/").replace("~0", "~");
            if (!s.isEmpty() && s.chars().allMatch(Character::isDigit)) {
                b.append('[').append(s).append(']');
            } else {
                if (b.length() > 0) {
                    b.append('.');
                }
                b.append(s);
            }
        }
        return b.toString();
    }

    /** Whether the catalog knows this event in this version. */
    public boolean knows(String event, int version) {
        EventInfo info = events.get(event);
        return info != null && info.schemas().containsKey(version);
    }

    private Schema schema(String event, int version) {
        EventInfo info = events.get(event);
        if (info == null) {
            throw new HeraldException("unknown event type " + event);
        }
        String path = info.schemas().get(version);
        if (path == null) {
            throw new HeraldException("unknown version " + version + " of event " + event + " (known: " + info.versions() + ")");
        }
        return schemas.computeIfAbsent(path, p -> schemaRegistry.getSchema(SchemaLocation.of(SCHEMA_BASE_IRI + p)));
    }

    /**
     * The text of a schema file of the catalog by its path under {@value #SCHEMA_ROOT}
     * ({@code events/order.created/v2.json}, {@code types/money/v1.json}; an event's paths are in
     * {@link EventInfo#schemas}), or empty.
     */
    public Optional<String> schemaFile(String relativePath) {
        if (relativePath.contains("..") || relativePath.startsWith("/")) {
            return Optional.empty();
        }
        try (InputStream in = classLoader.getResourceAsStream(SCHEMA_ROOT + relativePath)) {
            return in == null ? Optional.empty() : Optional.of(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read schema " + relativePath, e);
        }
    }

    /** Maps a schema IRI to the text of the schema file on the class path (null: not ours). */
    private String schemaText(String iri) {
        String relative = null;
        if (iri.startsWith(SCHEMA_BASE_IRI)) {
            relative = iri.substring(SCHEMA_BASE_IRI.length());
        } else {
            // a schema file with its own $id: map by its tail (events/... or types/...)
            for (String marker : new String[] {"/events/", "/types/"}) {
                int i = iri.lastIndexOf(marker);
                if (i >= 0 && (iri.startsWith("http") || iri.startsWith("urn") || iri.startsWith("herald"))) {
                    relative = iri.substring(i + 1);
                    break;
                }
            }
        }
        if (relative == null) {
            return null;
        }
        int hash = relative.indexOf('#');
        if (hash >= 0) {
            relative = relative.substring(0, hash);
        }
        try (InputStream in = classLoader.getResourceAsStream(SCHEMA_ROOT + relative)) {
            return in == null ? null : new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read schema " + relative, e);
        }
    }

    @Override
    public String toString() {
        return "Catalog" + new LinkedHashMap<>(Map.of("namespace", namespace, "events", events.keySet()));
    }
}
