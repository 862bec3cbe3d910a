package dev.herald.bench.codegen;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.herald.codegen.CodeGenerator;
import dev.herald.codegen.GeneratedSources;
import dev.herald.codegen.GeneratorOptions;
import dev.herald.runtime.Catalog;
import dev.herald.runtime.validation.EventValidator;
import dev.herald.runtime.validation.StrictJson;
import dev.herald.schema.EventDef;
import dev.herald.schema.Names;
import dev.herald.schema.Problem;
import dev.herald.schema.Registry;
import dev.herald.schema.RegistryException;
import dev.herald.schema.RegistryLoader;
import dev.herald.schema.importer.SchemaImporter;
import java.io.File;
import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/**
 * How far an existing event catalogue gets: imports a tree of schemas, generates, leaves out the
 * events the generator refuses (and says why, grouped), compiles the rest with {@code -Xlint:all},
 * then reads every real payload into its record, validates it, writes it back and reads it again,
 * and compares each verdict with the broker's schema validation. Nothing is tuned to a corpus:
 * the same command runs on any tree laid out as events/&lt;event&gt;/&lt;action&gt;.json plus shared types,
 * with payloads at &lt;examples&gt;/&lt;event&gt;/&lt;action&gt;[.variant].payload.json (octokit/webhooks' layout).
 *
 * <pre>
 * benchmarks/codegen/corpus.sh &lt;schemas&gt; &lt;types-subdir&gt; &lt;examples&gt;
 * </pre>
 */
public final class CorpusCheck {

    private CorpusCheck() {
    }

    public static void main(String[] args) throws Exception {
        Path tree = Path.of(args[0]);
        String typesDir = args[1];
        Path examples = args.length > 2 ? Path.of(args[2]) : null;
        Path work = Files.createTempDirectory("herald-corpus");
        Path registryDir = work.resolve("schemas");
        SchemaImporter.Report report = SchemaImporter.run(new SchemaImporter.Request(tree, "", typesDir, "source", "corpus",
                "com.example.corpus", registryDir));
        System.out.printf("imported %d files (%d changes)%n", report.files().size(), report.changes());
        int events = eventCount(registryDir);

        // generate; leave out what is refused, with the events that need it, until the rest generates
        Map<String, Integer> reasons = new TreeMap<>();
        Set<String> left = new TreeSet<>();
        GeneratedSources sources = null;
        long start = System.nanoTime();
        long firstRun = 0;
        for (int round = 0; round < 20 && sources == null; round++) {
            try {
                sources = CodeGenerator.generate(registryDir, GeneratorOptions.defaults());
            } catch (RegistryException e) {
                for (Problem p : e.problems()) {
                    reasons.merge(p.message().replaceAll("\"[^\"]*\"", "\"…\"").replaceAll("[0-9]+", "N"), 1, Integer::sum);
                    leaveOut(registryDir, registryDir.relativize(p.location().file().toAbsolutePath()).toString().replace('\\', '/'), left);
                }
            }
            if (round == 0) {
                firstRun = System.nanoTime() - start;
            }
        }
        if (sources == null) {
            System.out.println("the generator still refuses after leaving events out; stopping");
            return;
        }
        int generated = eventCount(registryDir);
        System.out.printf(Locale.ROOT, "events: %d, generated: %d (%.1f %%), left out: %s%n", events, generated, 100.0 * generated / events, left);
        System.out.printf(Locale.ROOT, "first generator run over the whole registry: %d ms%n", firstRun / 1_000_000);
        reasons.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
                .forEach(e -> System.out.println("  refused " + e.getValue() + "x: " + e.getKey()));

        Path src = work.resolve("src");
        Path classes = Files.createDirectories(work.resolve("classes"));
        sources.writeTo(src, classes);
        List<String> files;
        try (Stream<Path> walk = Files.walk(src)) {
            files = walk.filter(p -> p.toString().endsWith(".java")).map(Path::toString).toList();
        }
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        List<String> javacArgs = new ArrayList<>(List.of("-proc:none", "-Xlint:all", "-d", classes.toString(),
                "-cp", System.getProperty("java.class.path")));
        javacArgs.addAll(files);
        long t = System.nanoTime();
        int rc = javac.run(null, null, null, javacArgs.toArray(new String[0]));
        System.out.printf("javac -Xlint:all of %d files: exit %d in %d ms%n", files.size(), rc, (System.nanoTime() - t) / 1_000_000);
        if (rc != 0 || examples == null) {
            return;
        }
        payloads(registryDir, classes, examples);
    }

    private static int eventCount(Path registryDir) throws IOException {
        try (Stream<Path> dirs = Files.list(registryDir.resolve("events"))) {
            return (int) dirs.count();
        }
    }

    private static void leaveOut(Path registryDir, String file, Set<String> left) throws IOException {
        if (file.startsWith("events/")) {
            String event = file.split("/")[1];
            left.add(event);
            deleteTree(registryDir.resolve("events").resolve(event));
        } else if (file.startsWith("types/")) {
            // a refused shared type: every event that refers to it goes, and the type
            String name = Path.of(file).getFileName().toString();
            try (Stream<Path> walk = Files.walk(registryDir.resolve("events"))) {
                for (Path p : walk.filter(f -> f.toString().endsWith(".json")).toList()) {
                    if (Files.readString(p).contains("types/" + name)) {
                        String event = registryDir.resolve("events").relativize(p).getName(0).toString();
                        left.add(event);
                        deleteTree(registryDir.resolve("events").resolve(event));
                    }
                }
            }
            Files.deleteIfExists(registryDir.resolve(file));
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    private static void payloads(Path registryDir, Path classes, Path examples) throws Exception {
        Registry registry = RegistryLoader.load(registryDir);
        ObjectMapper json = StrictJson.mapper();
        int total = 0;
        int read = 0;
        int valid = 0;
        int roundTrip = 0;
        int schemaValid = 0;
        int agree = 0;
        Map<String, Integer> failures = new TreeMap<>();
        try (URLClassLoader loader = new URLClassLoader(new URL[] {classes.toUri().toURL()}, CorpusCheck.class.getClassLoader());
             EventValidator validator = EventValidator.create(json)) {
            Catalog catalog = Catalog.load(loader);
            List<Path> files;
            try (Stream<Path> walk = Files.walk(examples)) {
                files = walk.filter(p -> p.toString().endsWith(".payload.json")).sorted().toList();
            }
            for (Path f : files) {
                Path rel = examples.relativize(f);
                String action = f.getFileName().toString().replaceAll("\\.payload\\.json$", "").replaceAll("\\..*$", "");
                String event = (rel.getParent() == null ? "" : kebab(rel.getParent().toString().replace(File.separatorChar, '.')) + ".") + kebab(action);
                EventDef def = registry.event(event).orElse(null);
                if (def == null) {
                    continue;
                }
                total++;
                JsonNode raw = json.readTree(f.toFile());
                boolean schemaSays = catalog.validateData(event, 1, raw).isEmpty();
                schemaValid += schemaSays ? 1 : 0;
                boolean recordSays = false;
                try {
                    Class<?> type = loader.loadClass(registry.javaPackage() + "." + Names.javaTypeName(event));
                    Object record = json.treeToValue(raw, type);
                    read++;
                    boolean ok = validator.validate(record).isEmpty();
                    valid += ok ? 1 : 0;
                    boolean same = json.treeToValue(json.valueToTree(record), type).equals(record);
                    roundTrip += same ? 1 : 0;
                    recordSays = ok && same;
                    if (!ok) {
                        failures.merge("invalid in the record: " + validator.validate(record).get(0), 1, Integer::sum);
                    }
                } catch (Exception e) {
                    failures.merge("unreadable: " + String.valueOf(e.getMessage()).split("\n")[0].replaceAll("\"[^\"]*\"", "\"…\""), 1, Integer::sum);
                }
                agree += recordSays == schemaSays ? 1 : 0;
            }
        }
        System.out.printf(Locale.ROOT, "payloads of generated events: %d; read %d (%.1f %%), valid %d, written and read back equal %d (%.1f %%)%n",
                total, read, 100.0 * read / total, valid, roundTrip, 100.0 * roundTrip / total);
        System.out.printf(Locale.ROOT, "valid by the broker's schema validation: %d; the record's verdict agrees for %d (%.1f %%)%n",
                schemaValid, agree, 100.0 * agree / total);
        failures.forEach((k, n) -> System.out.println("  " + n + "x " + k.substring(0, Math.min(180, k.length()))));
    }

    private static String kebab(String s) {
        return Stream.of(s.split("\\.")).map(w -> w.replaceAll("([a-z0-9])([A-Z])", "$1-$2").replaceAll("[^A-Za-z0-9]+", "-")
                .toLowerCase(Locale.ROOT).replaceAll("^-+|-+$", "")).collect(Collectors.joining("."));
    }
}
