package dev.herald.bench.codegen;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Writes a registry of N events with varied shapes: 6-18 properties each, string constraints and
 * formats, bounded integers and decimals, inline and shared enums, nested objects two levels deep,
 * arrays of strings and of objects, maps, $refs to shared types and to local $defs, defaults,
 * aliases, deprecations. Deterministic for a given seed.
 */
final class SyntheticRegistry {

    static final int SERVICES = 12;
    static final int SHARED_TYPES = 24;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Random random;

    SyntheticRegistry(long seed) {
        this.random = new Random(seed);
    }

    void write(Path root, int events) throws IOException {
        Files.createDirectories(root.resolve("types"));
        ObjectNode registry = JSON.createObjectNode();
        registry.put("namespace", "bench");
        registry.put("javaPackage", "dev.herald.bench.sdk");
        ObjectNode services = registry.putObject("services");
        for (int s = 0; s < SERVICES; s++) {
            services.putObject("service-" + s).put("description", "Synthetic service " + s + ".");
        }
        write(root.resolve("registry.json"), registry);
        List<String> types = new ArrayList<>();
        for (int t = 0; t < SHARED_TYPES; t++) {
            String name = "shared-" + t;
            types.add(name);
            write(root.resolve("types/" + name + ".json"), t % 3 == 0 ? sharedEnum(t) : sharedObject(t));
        }
        for (int e = 0; e < events; e++) {
            String name = "domain" + (e % 40) + ".thing" + e + "-happened";
            int versions = e % 7 == 0 ? 2 : 1;
            for (int v = 1; v <= versions; v++) {
                Path file = root.resolve("events/" + name + "/v" + v + ".json");
                Files.createDirectories(file.getParent());
                write(file, event(e, types));
            }
        }
    }

    private ObjectNode sharedEnum(int t) {
        ObjectNode s = schema();
        s.put("description", "Shared enum " + t + ".");
        s.put("type", "string");
        ArrayNode values = s.putArray("enum");
        int n = 3 + random.nextInt(6);
        for (int i = 0; i < n; i++) {
            values.add("value-" + i);
        }
        return s;
    }

    private ObjectNode sharedObject(int t) {
        ObjectNode s = schema();
        s.put("description", "Shared type " + t + ".");
        s.put("type", "object");
        ObjectNode props = s.putObject("properties");
        ArrayNode required = s.putArray("required");
        int n = 2 + random.nextInt(4);
        for (int i = 0; i < n; i++) {
            props.set("field" + i, scalar(i));
            if (i % 2 == 0) {
                required.add("field" + i);
            }
        }
        return s;
    }

    private ObjectNode event(int e, List<String> types) {
        ObjectNode s = schema();
        s.put("description", "Synthetic event " + e + ": something happened.");
        s.put("x-owner", "service-" + (e % SERVICES));
        if (e % 50 == 49) {
            s.put("deprecated", true);
        }
        s.put("type", "object");
        ObjectNode props = s.putObject("properties");
        ArrayNode required = s.putArray("required");
        props.putObject("id").put("type", "string").put("format", "uuid");
        required.add("id");
        props.putObject("occurredAt").put("type", "string").put("format", "date-time");
        required.add("occurredAt");
        int n = 4 + random.nextInt(13);
        boolean usesDefs = false;
        for (int i = 0; i < n; i++) {
            String name = "prop" + i;
            ObjectNode p;
            switch (random.nextInt(10)) {
                case 0 -> p = nested(2);
                case 1 -> {
                    p = JSON.createObjectNode().put("type", "array").put("maxItems", 20);
                    p.set("items", nested(1));
                }
                case 2 -> {
                    p = JSON.createObjectNode().put("type", "array").put("uniqueItems", true);
                    p.putObject("items").put("type", "string").put("maxLength", 40);
                }
                case 3 -> p = JSON.createObjectNode().put("$ref", "../../types/" + types.get(random.nextInt(types.size()))
                        + ".json");
                case 4 -> {
                    p = JSON.createObjectNode().put("$ref", "#/$defs/kind");
                    usesDefs = true;
                }
                case 5 -> {
                    p = JSON.createObjectNode().put("type", "object");
                    p.putObject("additionalProperties").put("type", "string").put("maxLength", 200);
                }
                default -> p = scalar(i);
            }
            p.put("description", "Property " + i + " of event " + e + ".");
            if (i == 1) {
                p.putArray("x-aliases").add("old" + i);
            }
            props.set(name, p);
            if (random.nextInt(3) == 0) {
                required.add(name);
            }
        }
        if (usesDefs) {
            ObjectNode kind = s.putObject("$defs").putObject("kind");
            kind.put("type", "string");
            kind.putArray("enum").add("alpha").add("beta").add("gamma");
        }
        return s;
    }

    private ObjectNode nested(int depth) {
        ObjectNode o = JSON.createObjectNode().put("type", "object");
        ObjectNode props = o.putObject("properties");
        ArrayNode required = o.putArray("required");
        int n = 2 + random.nextInt(4);
        for (int i = 0; i < n; i++) {
            props.set("inner" + i, depth > 1 && i == 0 ? nested(depth - 1) : scalar(i));
            if (i == 0) {
                required.add("inner" + i);
            }
        }
        return o;
    }

    private ObjectNode scalar(int i) {
        ObjectNode p = JSON.createObjectNode();
        switch (random.nextInt(9)) {
            case 0 -> p.put("type", "string").put("minLength", 1).put("maxLength", 80);
            case 1 -> p.put("type", "string").put("pattern", "^[A-Z]{2,4}-[0-9]{3,8}$");
            case 2 -> p.put("type", "string").put("format", "email");
            case 3 -> p.put("type", "string").put("format", "date");
            case 4 -> p.put("type", "integer").put("minimum", 0).put("maximum", 10_000);
            case 5 -> p.put("type", "integer").put("default", 1).put("minimum", 1);
            case 6 -> p.put("type", "number").put("minimum", 0).put("multipleOf", 0.01);
            case 7 -> p.put("type", "boolean").put("default", false);
            default -> {
                p.put("type", "string");
                p.putArray("enum").add("red").add("green").add("blue").add("dark-" + i);
            }
        }
        return p;
    }

    private static ObjectNode schema() {
        return JSON.createObjectNode().put("$schema", "https://json-schema.org/draft/2020-12/schema");
    }

    private static void write(Path file, ObjectNode node) throws IOException {
        Files.writeString(file, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(node) + "\n");
    }
}
