package dev.herald.bench.compat;

import dev.herald.compat.Gate;
import dev.herald.compat.Mode;
import dev.herald.compat.Policy;
import dev.herald.compat.Report;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Writes a synthetic registry of EVENTS events x VERSIONS versions (each version adds an optional
 * property, so every version is a safe evolution; shared types are referenced with $ref) and a
 * folder baseline holding versions 1..VERSIONS-1 (the state of main before a pull request that adds
 * the newest version of every event). Then times the full gate end to end, FULL_TRANSITIVE, robust:
 * load both registries, check every version against every earlier one, check the baseline.
 *
 * <p>Usage: {@code java -jar herald-benchmark-compat.jar [WORK_DIR] [EVENTS] [VERSIONS] [RUNS]}
 */
public final class CompatBenchmark {

    private CompatBenchmark() {
    }

    public static void main(String[] args) throws IOException {
        Path work = Path.of(args.length > 0 ? args[0] : "target/compat-bench");
        int events = args.length > 1 ? Integer.parseInt(args[1]) : 500;
        int versions = args.length > 2 ? Integer.parseInt(args[2]) : 5;
        int runs = args.length > 3 ? Integer.parseInt(args[3]) : 5;
        // how many events the pull request adds a version to (the others are the baseline's, byte for byte)
        int touched = args.length > 4 ? Integer.parseInt(args[4]) : events;
        Path current = work.resolve("schemas");
        Path baseline = work.resolve("baseline");
        deleteTree(work);
        long t0 = System.nanoTime();
        writeRegistry(current, events, e -> versions);
        writeRegistry(baseline, events, e -> e < touched ? versions - 1 : versions);
        System.out.printf(Locale.ROOT, "wrote %d events x %d versions (%d schema files) + baseline without v%d of %d events in %d ms%n",
                events, versions, events * versions, versions, touched, (System.nanoTime() - t0) / 1_000_000);

        List<Long> times = new ArrayList<>();
        Report last = null;
        for (int i = 0; i < runs; i++) {
            long start = System.nanoTime();
            last = Gate.run(current, baseline.toString(), Mode.FULL_TRANSITIVE, Policy.ROBUST, note -> { });
            long ms = (System.nanoTime() - start) / 1_000_000;
            times.add(ms);
            System.out.printf(Locale.ROOT, "run %d: %d ms  %s%n", i + 1, ms, last.summary());
        }
        if (!last.passed() || last.versions() != events * versions) {
            System.err.println("unexpected result: " + last.summary());
            System.exit(1);
        }
        List<Long> sorted = new ArrayList<>(times);
        sorted.sort(null);
        System.out.printf(Locale.ROOT, "RESULT first (cold JVM) %d ms, median %d ms, best %d ms for %d events x %d versions, "
                        + "%d version pairs, %d events touched, FULL_TRANSITIVE against a folder baseline%n",
                times.get(0), sorted.get(sorted.size() / 2), sorted.get(0), events, versions, events * versions * (versions - 1) / 2, touched);
    }

    static void writeRegistry(Path root, int events, java.util.function.IntUnaryOperator versionsOf) throws IOException {
        Files.createDirectories(root.resolve("types"));
        StringBuilder services = new StringBuilder();
        for (int s = 0; s < 10; s++) {
            services.append(s == 0 ? "" : ",\n").append("    \"svc-").append(s).append("\": {\"description\": \"Service ").append(s).append(".\"}");
        }
        Files.writeString(root.resolve("registry.json"), "{\n  \"namespace\": \"bench\",\n  \"javaPackage\": \"dev.herald.bench.sdk\",\n  \"services\": {\n"
                + services + "\n  }\n}\n");
        Files.writeString(root.resolve("types/money.json"), """
                {
                  "$schema": "https://json-schema.org/draft/2020-12/schema",
                  "title": "Money",
                  "type": "object",
                  "required": ["amount", "currency"],
                  "properties": {
                    "amount": {"type": "number", "minimum": 0},
                    "currency": {"type": "string", "pattern": "^[A-Z]{3}$"}
                  }
                }
                """);
        Files.writeString(root.resolve("types/address.json"), """
                {
                  "$schema": "https://json-schema.org/draft/2020-12/schema",
                  "title": "Address",
                  "type": "object",
                  "required": ["line1", "city", "country"],
                  "properties": {
                    "line1": {"type": "string", "maxLength": 200},
                    "city": {"type": "string", "maxLength": 100},
                    "postalCode": {"type": "string", "maxLength": 20},
                    "country": {"type": "string", "pattern": "^[A-Z]{2}$"}
                  }
                }
                """);
        for (int e = 0; e < events; e++) {
            String name = String.format(Locale.ROOT, "domain-%02d.event-%03d", e % 50, e);
            Path dir = root.resolve("events").resolve(name);
            Files.createDirectories(dir);
            for (int v = 1; v <= versionsOf.applyAsInt(e); v++) {
                Files.writeString(dir.resolve("v" + v + ".json"), event(e, v));
            }
        }
    }

    static String event(int e, int v) {
        StringBuilder extra = new StringBuilder();
        for (int k = 2; k <= v; k++) {
            extra.append(",\n    \"added").append(k).append("\": {\"description\": \"Added in v").append(k).append(".\", \"type\": \"string\", \"maxLength\": 64}");
        }
        return """
                {
                  "$schema": "https://json-schema.org/draft/2020-12/schema",
                  "title": "Event%1$d",
                  "description": "Synthetic event %1$d, version %2$d.",
                  "x-owner": "svc-%3$d",
                  "type": "object",
                  "required": ["id", "occurredAt", "amount", "status"],
                  "properties": {
                    "id": {"type": "string", "format": "uuid"},
                    "occurredAt": {"type": "string", "format": "date-time"},
                    "amount": {"$ref": "../../types/money.json"},
                    "shipTo": {"$ref": "../../types/address.json"},
                    "status": {"type": "string", "enum": ["NEW", "ACTIVE", "DONE"]},
                    "count": {"type": "integer", "minimum": 0, "maximum": 1000000},
                    "tags": {"type": "array", "items": {"type": "string", "maxLength": 30}, "maxItems": 20, "uniqueItems": true},
                    "lines": {
                      "type": "array",
                      "items": {
                        "type": "object",
                        "required": ["sku", "quantity"],
                        "properties": {
                          "sku": {"type": "string", "pattern": "^SKU-[0-9]{4,10}$"},
                          "quantity": {"type": "integer", "minimum": 1},
                          "price": {"$ref": "../../types/money.json"}
                        }
                      }
                    }%4$s
                  }
                }
                """.formatted(e, v, e % 10, extra);
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
