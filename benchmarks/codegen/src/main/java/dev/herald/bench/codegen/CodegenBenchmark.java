package dev.herald.bench.codegen;

import dev.herald.codegen.CodeGenerator;
import dev.herald.codegen.GeneratedSources;
import dev.herald.codegen.GeneratorOptions;
import dev.herald.codegen.IncrementalGenerator;
import dev.herald.schema.Registry;
import dev.herald.schema.RegistryLoader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

/**
 * The codegen benchmark (not a unit test). Usage:
 *
 * <pre>
 * java -cp ... dev.herald.bench.codegen.CodegenBenchmark &lt;work-dir&gt; [events=500] [runs=5]
 * java -cp ... dev.herald.bench.codegen.CodegenBenchmark --skip-check &lt;work-dir&gt;
 * </pre>
 *
 * <p>Writes a synthetic registry, then times, in one JVM: the plugin step from scratch (load +
 * link + generate + write, {@code IncrementalGenerator.run}), its parts, compiling the output with
 * javac (-Xlint:all -Werror), and the no-change rebuild (the up-to-date check). With
 * {@code --skip-check} it runs only the no-change check once, for timing in a cold JVM.
 */
public final class CodegenBenchmark {

    private CodegenBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length >= 2 && args[0].equals("--skip-check")) {
            long start = System.nanoTime();
            IncrementalGenerator.Result result = IncrementalGenerator.run(request(Path.of(args[1])));
            System.out.printf(Locale.ROOT, "cold-JVM no-change check: skipped=%s, %d Java files, %.1f ms in main()%n",
                    result.skipped(), result.sources(), ms(System.nanoTime() - start));
            if (!result.skipped()) {
                throw new IllegalStateException("expected the no-change run to skip");
            }
            return;
        }
        if (args.length >= 2 && args[0].equals("--from-scratch")) {
            // what one `mvn` invocation meets on a clean checkout: the plugin step in a fresh JVM
            Path work = Path.of(args[1]);
            delete(work.resolve("out"));
            long start = System.nanoTime();
            IncrementalGenerator.Result result = IncrementalGenerator.run(request(work));
            System.out.printf(Locale.ROOT, "cold-JVM plugin step from scratch: %d Java files, %.1f ms in main()%n", result.sources(),
                    ms(System.nanoTime() - start));
            return;
        }
        Path work = Path.of(args.length > 0 ? args[0] : "target/codegen-bench");
        int events = args.length > 1 ? Integer.parseInt(args[1]) : 500;
        int runs = args.length > 2 ? Integer.parseInt(args[2]) : 5;
        delete(work);
        Path schemas = work.resolve("schemas");
        new SyntheticRegistry(42).write(schemas, events);
        long schemaFiles;
        long schemaBytes = 0;
        try (Stream<Path> walk = Files.walk(schemas)) {
            List<Path> files = walk.filter(Files::isRegularFile).toList();
            schemaFiles = files.size();
            for (Path f : files) {
                schemaBytes += Files.size(f);
            }
        }
        System.out.printf(Locale.ROOT, "synthetic registry: %d events, %d files, %d KiB under %s%n", events,
                schemaFiles, schemaBytes / 1024, schemas);
        System.out.printf(Locale.ROOT, "machine: %d CPUs, load average %.2f%n",
                Runtime.getRuntime().availableProcessors(),
                java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());

        // warm-up once so the figures below are steady-state (first run printed separately)
        long[] full = new long[runs];
        long[] load = new long[runs];
        long[] generate = new long[runs];
        long[] skip = new long[runs];
        long[] fullCpu = new long[runs];
        IncrementalGenerator.Result first = null;
        for (int i = 0; i < runs; i++) {
            delete(work.resolve("out"));
            long cpu0 = processCpuNanos();
            long t0 = System.nanoTime();
            first = IncrementalGenerator.run(request(work));
            full[i] = System.nanoTime() - t0;
            fullCpu[i] = processCpuNanos() - cpu0;
            long t1 = System.nanoTime();
            IncrementalGenerator.Result again = IncrementalGenerator.run(request(work));
            skip[i] = System.nanoTime() - t1;
            if (!again.skipped()) {
                throw new IllegalStateException("the no-change run did not skip");
            }
            long t2 = System.nanoTime();
            Registry registry = RegistryLoader.load(schemas);
            load[i] = System.nanoTime() - t2;
            long t3 = System.nanoTime();
            GeneratedSources sources = CodeGenerator.generate(registry, GeneratorOptions.defaults());
            generate[i] = System.nanoTime() - t3;
            if (sources.sources().size() != first.sources()) {
                throw new IllegalStateException("non-deterministic output size");
            }
        }
        System.out.printf(Locale.ROOT, "generated: %d Java files, %d resources%n", first.sources(), first.resources());
        report("plugin step, from scratch (load + link + generate + write)", full);
        report("  the same, CPU time of the whole process (all threads, JIT, GC)", fullCpu);
        report("  of which: load + link + meta-schema check", load);
        report("  of which: generate in memory (JavaPoet)", generate);
        report("no-change rebuild of the plugin step (up-to-date check)", skip);

        long c0 = System.nanoTime();
        int compiled = compile(work.resolve("out/java"), work.resolve("out/classes"));
        long compile = System.nanoTime() - c0;
        System.out.printf(Locale.ROOT, "javac -Xlint:all -Werror of %d files (one run, in-process): %.0f ms%n",
                compiled, ms(compile));
        System.out.printf(Locale.ROOT, "generate + compile (first run): %.0f ms%n", ms(full[0] + compile));
        System.out.printf(Locale.ROOT, "targets: generate 500 events < 5000 ms -> %s; no-change rebuild < 1000 ms -> %s%n",
                ms(median(full)) < 5000 ? "met" : "MISSED", ms(median(skip)) < 1000 ? "met" : "MISSED");
    }

    /** CPU time of this process: wall-clock figures on a shared machine measure the neighbours too. */
    private static long processCpuNanos() {
        var os = java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        return os instanceof com.sun.management.OperatingSystemMXBean sun ? sun.getProcessCpuTime() : 0L;
    }

    static IncrementalGenerator.Request request(Path work) {
        return new IncrementalGenerator.Request(work.resolve("schemas"), work.resolve("out/java"),
                work.resolve("out/resources"), work.resolve("out/state"), GeneratorOptions.defaults(), false);
    }

    private static int compile(Path sources, Path classes) throws IOException {
        Files.createDirectories(classes);
        List<Path> files;
        try (Stream<Path> walk = Files.walk(sources)) {
            files = walk.filter(p -> p.toString().endsWith(".java")).sorted().toList();
        }
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        try (StandardJavaFileManager fm = javac.getStandardFileManager(diagnostics, Locale.ROOT,
                StandardCharsets.UTF_8)) {
            List<String> options = new ArrayList<>(List.of("-Xlint:all", "-Werror", "--release", "17", "-proc:none",
                    "-encoding", "UTF-8", "-classpath", System.getProperty("java.class.path"),
                    "-d", classes.toString()));
            boolean ok = javac.getTask(null, fm, diagnostics, options, null,
                    fm.getJavaFileObjectsFromPaths(files)).call();
            if (!ok || !diagnostics.getDiagnostics().isEmpty()) {
                diagnostics.getDiagnostics().stream().limit(20).forEach(System.err::println);
                throw new IllegalStateException("the generated code did not compile cleanly");
            }
        }
        return files.size();
    }

    private static void report(String what, long[] nanos) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        System.out.printf(Locale.ROOT, "%-62s first %7.1f ms, median %7.1f ms, min %7.1f ms (%d runs)%n", what,
                ms(nanos[0]), ms(median(nanos)), ms(sorted[0]), nanos.length);
    }

    private static long median(long[] nanos) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    private static double ms(long nanos) {
        return nanos / 1_000_000.0;
    }

    private static void delete(Path dir) throws IOException {
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
