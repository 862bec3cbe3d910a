package dev.herald.sdk;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.SpecificationVersion;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Test helper over the catalog resources the generator put on the class path: the events, their
 * schema files, {@code $ref} resolution, and networknt's verdict on raw JSON (draft 2020-12 with
 * format assertions on, since the records check formats through their Java types).
 */
final class SchemaCatalog {

    static final String ROOT = "META-INF/herald/schemas/";
    private static final String BASE_IRI = "https://catalog.herald.test/schemas/";
    /** Reads decimals as BigDecimal, as the strict mapper does, so trees compare exactly. */
    static final ObjectMapper PLAIN = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS).build();

    /** One event of catalog.json. */
    record Event(String name, int version, String javaClass, String schemaPath) {
        @Override
        public String toString() {
            return name + " v" + version;
        }
    }

    /** A schema node and the file it is in ('/'-separated path under the schema root). */
    record Located(String file, JsonNode node) {
    }

    private final Map<String, JsonNode> documents = new ConcurrentHashMap<>();
    private final SchemaRegistry networknt = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12,
            b -> b.schemas(this::schemaText)
                    .schemaRegistryConfig(SchemaRegistryConfig.builder().formatAssertionsEnabled(true).build()));
    private final Map<String, Schema> schemas = new ConcurrentHashMap<>();

    static final SchemaCatalog INSTANCE = new SchemaCatalog();

    List<Event> events() {
        JsonNode catalog = readResource("META-INF/herald/catalog.json");
        List<Event> events = new ArrayList<>();
        for (JsonNode e : catalog.get("events")) {
            int version = e.get("version").asInt();
            events.add(new Event(e.get("name").asText(), version, e.get("javaClass").asText(),
                    e.get("schemas").get(Integer.toString(version)).asText()));
        }
        return events;
    }

    JsonNode document(String file) {
        return documents.computeIfAbsent(file, f -> readResource(ROOT + f));
    }

    /** Follows {@code $ref}s (relative file paths and JSON pointer fragments) until a schema without one. */
    Located resolve(String file, JsonNode schema) {
        Located at = new Located(file, schema);
        for (int hops = 0; at.node().has("$ref"); hops++) {
            if (hops > 20) {
                throw new IllegalStateException("$ref loop in " + file);
            }
            String ref = at.node().get("$ref").asText();
            int hash = ref.indexOf('#');
            String filePart = hash < 0 ? ref : ref.substring(0, hash);
            String pointer = hash < 0 ? "" : ref.substring(hash + 1);
            String target = filePart.isEmpty() ? at.file() : normalize(parent(at.file()) + filePart);
            at = new Located(target, document(target).at(pointer));
        }
        return at;
    }

    /** networknt's errors for {@code data} against the schema file; empty when valid. */
    List<Error> validateRaw(String schemaFile, JsonNode data) {
        Schema schema = schemas.computeIfAbsent(schemaFile,
                f -> networknt.getSchema(SchemaLocation.of(BASE_IRI + f)));
        return schema.validate(data);
    }

    private String schemaText(String iri) {
        if (!iri.startsWith(BASE_IRI)) {
            return null;
        }
        try (InputStream in = resourceStream(ROOT + iri.substring(BASE_IRI.length()))) {
            return in == null ? null : new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static InputStream resourceStream(String path) {
        return SchemaCatalog.class.getClassLoader().getResourceAsStream(path);
    }

    private static JsonNode readResource(String path) {
        try (InputStream in = resourceStream(path)) {
            if (in == null) {
                throw new IllegalStateException("no resource " + path + " (did herald:generate run?)");
            }
            return PLAIN.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String parent(String file) {
        int slash = file.lastIndexOf('/');
        return slash < 0 ? "" : file.substring(0, slash + 1);
    }

    private static String normalize(String path) {
        ArrayDeque<String> parts = new ArrayDeque<>();
        for (String part : path.split("/")) {
            if (part.isEmpty() || part.equals(".")) {
                continue;
            }
            if (part.equals("..")) {
                parts.removeLast();
            } else {
                parts.addLast(part);
            }
        }
        return String.join("/", parts);
    }
}
