package dev.herald.codegen;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.herald.schema.EventDef;
import dev.herald.schema.EventVersion;
import dev.herald.schema.Registry;
import dev.herald.schema.SchemaDocument;
import dev.herald.schema.ServiceDef;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Map;
import java.util.TreeMap;

/**
 * The catalog resource of docs/contracts.md: {@code META-INF/herald/catalog.json} and every
 * schema file, byte for byte, under {@code META-INF/herald/schemas/}.
 */
final class CatalogWriter {

    static final String CATALOG = "META-INF/herald/catalog.json";
    static final String SCHEMAS = "META-INF/herald/schemas/";
    static final int CATALOG_VERSION = 1;

    private static final ObjectMapper JSON = new ObjectMapper();

    private CatalogWriter() {
    }

    static Map<String, byte[]> resources(Registry registry, String javaPackage) {
        Map<String, byte[]> out = new TreeMap<>();
        out.put(CATALOG, catalog(registry, javaPackage).getBytes(StandardCharsets.UTF_8));
        out.put(SCHEMAS + "registry.json", bytes(registry.registryDocument()));
        for (SchemaDocument doc : registry.documents().values()) {
            out.put(SCHEMAS + doc.relativePath(), bytes(doc));
        }
        return out;
    }

    private static byte[] bytes(SchemaDocument doc) {
        try {
            return Files.readAllBytes(doc.path());
        } catch (IOException e) {
            // the loader read it a moment ago; fall back to the text it kept
            return doc.text().getBytes(StandardCharsets.UTF_8);
        }
    }

    static String catalog(Registry registry, String javaPackage) {
        ObjectNode root = JSON.createObjectNode();
        root.put("catalogVersion", CATALOG_VERSION);
        root.put("namespace", registry.namespace());
        root.put("javaPackage", javaPackage);
        ArrayNode services = root.putArray("services");
        for (ServiceDef service : registry.services()) {
            services.add(service.name());
        }
        ArrayNode events = root.putArray("events");
        for (EventDef event : registry.events()) {
            ObjectNode e = events.addObject();
            e.put("name", event.name());
            e.put("version", event.latest().version());
            ArrayNode versions = e.putArray("versions");
            event.versions().forEach(v -> versions.add(v.version()));
            e.put("owner", event.owner());
            e.put("deprecated", event.deprecated());
            e.put("javaClass", javaPackage + "." + event.javaName());
            ObjectNode schemas = e.putObject("schemas");
            for (EventVersion v : event.versions()) {
                schemas.put(Integer.toString(v.version()), v.document().relativePath());
            }
        }
        DefaultPrettyPrinter printer = new DefaultPrettyPrinter()
                .withObjectIndenter(new DefaultIndenter("  ", "\n"))
                .withArrayIndenter(new DefaultIndenter("  ", "\n"));
        StringWriter text = new StringWriter();
        try (JsonGenerator generator = JSON.getFactory().createGenerator(text)) {
            generator.setPrettyPrinter(printer);
            JSON.writeTree(generator, root);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return text + "\n";
    }
}
