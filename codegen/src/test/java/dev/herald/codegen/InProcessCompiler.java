package dev.herald.codegen;

import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

/**
 * Compiles generated sources for real with javac ({@code -Xlint:all -Werror}, release 17) against
 * the test class path (sdk-runtime, Jackson, Jakarta Validation), and loads the classes.
 */
final class InProcessCompiler {

    private InProcessCompiler() {
    }

    /** Writes the sources under {@code dir}/src, compiles into {@code dir}/classes, returns a loader over them. */
    static URLClassLoader compile(GeneratedSources generated, Path dir) {
        try {
            Path src = dir.resolve("src");
            Path classes = dir.resolve("classes");
            Path resources = dir.resolve("resources");
            Files.createDirectories(classes);
            generated.writeTo(src, resources);
            List<Path> files = new ArrayList<>();
            for (Map.Entry<String, byte[]> source : generated.sources().entrySet()) {
                files.add(src.resolve(source.getKey()));
            }
            JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
            DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
            try (StandardJavaFileManager fm = javac.getStandardFileManager(diagnostics, Locale.ROOT,
                    StandardCharsets.UTF_8)) {
                List<String> options = List.of("-Xlint:all", "-Werror", "--release", "17", "-proc:none",
                        "-encoding", "UTF-8", "-classpath", System.getProperty("java.class.path"),
                        "-d", classes.toString());
                boolean ok = javac.getTask(null, fm, diagnostics, options, null,
                        fm.getJavaFileObjectsFromPaths(files)).call();
                if (!ok || !diagnostics.getDiagnostics().isEmpty()) {
                    fail("generated code does not compile cleanly with -Xlint:all -Werror:\n"
                            + diagnostics.getDiagnostics().stream().map(InProcessCompiler::format)
                            .collect(Collectors.joining("\n")));
                }
            }
            return new ChildFirstResources(new URL[] {classes.toUri().toURL(), resources.toUri().toURL()},
                    InProcessCompiler.class.getClassLoader());
        } catch (MalformedURLException e) {
            throw new IllegalStateException(e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String format(Diagnostic<? extends JavaFileObject> d) {
        return d.getKind() + " " + (d.getSource() == null ? "" : d.getSource().getName()) + ":" + d.getLineNumber()
                + ": " + d.getMessage(Locale.ROOT);
    }

    /**
     * Finds resources in the generated output before the parent (test class path), so that the
     * fixture's {@code META-INF/herald/catalog.json} wins over any other catalog on the class path.
     */
    private static final class ChildFirstResources extends URLClassLoader {

        ChildFirstResources(URL[] urls, ClassLoader parent) {
            super(urls, parent);
        }

        @Override
        public URL getResource(String name) {
            URL own = findResource(name);
            return own != null ? own : super.getResource(name);
        }
    }
}
