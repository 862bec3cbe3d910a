package dev.herald.codegen;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Generation with an up-to-date check, as the Maven goal runs it: when neither the schema files,
 * the options nor the generator changed since the last run, and every file it wrote is still
 * there, it does nothing.
 *
 * <p>The fingerprint is a SHA-256 over the generator's version and the bytes of its own jar and of
 * the schema-model and JavaPoet jars (so a rebuilt SNAPSHOT plugin regenerates), the options, the
 * output folders, and every file under the schema folder (path and bytes). It is stored with the list of written files in
 * {@code stateFile}; that list also lets a later run delete what a removed schema had produced.
 */
public final class IncrementalGenerator {

    private static final String STATE_HEADER = "# herald generate state; delete this file to force a full generation";
    private static volatile String generatorIdentity;

    private IncrementalGenerator() {
    }

    /**
     * @param schemaDir   the registry folder
     * @param sourceDir   where Java sources go
     * @param resourceDir where the catalog resources go
     * @param stateFile   where the fingerprint and the list of written files are kept
     * @param options     generator options
     * @param force       generate even when up to date
     */
    public record Request(Path schemaDir, Path sourceDir, Path resourceDir, Path stateFile,
                          GeneratorOptions options, boolean force) {
    }

    /**
     * @param skipped      nothing changed, nothing was done
     * @param sources      Java files generated (or, when skipped, from the last generation)
     * @param resources    resource files generated (or from the last generation)
     * @param filesWritten files whose bytes changed on disk
     * @param filesDeleted stale files of an earlier generation removed
     */
    public record Result(boolean skipped, int sources, int resources, int filesWritten, int filesDeleted) {
    }

    public static Result run(Request request) {
        String fingerprint = fingerprint(request);
        State previous = State.read(request.stateFile());
        if (!request.force() && previous != null && previous.fingerprint.equals(fingerprint)
                && previous.allPresent(request)) {
            return new Result(true, previous.count("sources:"), previous.count("resources:"), 0, 0);
        }
        GeneratedSources generated = CodeGenerator.generate(request.schemaDir(), request.options());
        Set<String> files = new LinkedHashSet<>();
        generated.sources().keySet().forEach(p -> files.add("sources:" + p));
        generated.resources().keySet().forEach(p -> files.add("resources:" + p));
        int deleted = 0;
        if (previous != null) {
            for (String old : previous.files) {
                if (!files.contains(old)) {
                    try {
                        if (Files.deleteIfExists(State.resolve(request, old))) {
                            deleted++;
                        }
                    } catch (IOException e) {
                        throw new UncheckedIOException("cannot delete stale generated file " + old, e);
                    }
                }
            }
        }
        int written = generated.writeTo(request.sourceDir(), request.resourceDir());
        new State(fingerprint, List.copyOf(files)).write(request.stateFile());
        return new Result(false, generated.sources().size(), generated.resources().size(), written, deleted);
    }

    /** The fingerprint of everything the output depends on. */
    public static String fingerprint(Request request) {
        MessageDigest sha = sha256();
        update(sha, "generator=" + generatorIdentity());
        update(sha, "options=" + request.options().fingerprint());
        update(sha, "sources=" + request.sourceDir().toAbsolutePath().normalize());
        update(sha, "resources=" + request.resourceDir().toAbsolutePath().normalize());
        Path root = request.schemaDir();
        List<Path> files = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(root)) {
            walk.filter(Files::isRegularFile).forEach(files::add);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the schema folder " + root, e);
        }
        List<String> relative = new ArrayList<>();
        for (Path file : files) {
            relative.add(root.relativize(file).toString().replace('\\', '/'));
        }
        relative.sort(null);
        try {
            for (String path : relative) {
                byte[] bytes = Files.readAllBytes(root.resolve(path));
                update(sha, "file=" + path + ":" + bytes.length);
                sha.update(bytes);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the schema folder " + root, e);
        }
        return HexFormat.of().formatHex(sha.digest());
    }

    /** Version and a hash of the generator's own classes. */
    static String generatorIdentity() {
        String identity = generatorIdentity;
        if (identity == null) {
            // the generator's own jar, and the two libraries that shape its output
            identity = version() + "+" + codeHash(IncrementalGenerator.class) + "+"
                    + codeHash(dev.herald.schema.Names.class) + "+" + codeHash(com.palantir.javapoet.JavaFile.class);
            generatorIdentity = identity;
        }
        return identity;
    }

    static String version() {
        try (InputStream in = IncrementalGenerator.class.getResourceAsStream("/META-INF/herald/codegen.properties")) {
            if (in == null) {
                return "unknown";
            }
            Properties properties = new Properties();
            properties.load(in);
            return properties.getProperty("version", "unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }

    private static String codeHash(Class<?> type) {
        CodeSource source = type.getProtectionDomain().getCodeSource();
        if (source == null || source.getLocation() == null) {
            return "no-code-source";
        }
        try {
            Path location = Path.of(source.getLocation().toURI());
            MessageDigest sha = sha256();
            if (Files.isDirectory(location)) {
                List<Path> files;
                try (Stream<Path> walk = Files.walk(location)) {
                    files = walk.filter(Files::isRegularFile).sorted().toList();
                }
                for (Path file : files) {
                    update(sha, location.relativize(file).toString());
                    sha.update(Files.readAllBytes(file));
                }
            } else {
                sha.update(Files.readAllBytes(location));
            }
            return HexFormat.of().formatHex(sha.digest()).substring(0, 16);
        } catch (IOException | URISyntaxException | IllegalArgumentException e) {
            return "unreadable-code-source";
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void update(MessageDigest sha, String text) {
        sha.update(text.getBytes(StandardCharsets.UTF_8));
        sha.update((byte) 0);
    }

    private record State(String fingerprint, List<String> files) {

        static State read(Path stateFile) {
            if (!Files.isRegularFile(stateFile)) {
                return null;
            }
            try {
                List<String> lines = Files.readAllLines(stateFile, StandardCharsets.UTF_8);
                String fingerprint = null;
                List<String> files = new ArrayList<>();
                for (String line : lines) {
                    if (line.startsWith("fingerprint=")) {
                        fingerprint = line.substring("fingerprint=".length());
                    } else if (line.startsWith("sources:") || line.startsWith("resources:")) {
                        files.add(line);
                    }
                }
                return fingerprint == null ? null : new State(fingerprint, files);
            } catch (IOException e) {
                return null;
            }
        }

        void write(Path stateFile) {
            List<String> lines = new ArrayList<>();
            lines.add(STATE_HEADER);
            lines.add("fingerprint=" + fingerprint);
            lines.addAll(files);
            try {
                if (stateFile.getParent() != null) {
                    Files.createDirectories(stateFile.getParent());
                }
                Files.write(stateFile, lines, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write " + stateFile, e);
            }
        }

        boolean allPresent(Request request) {
            for (String file : files) {
                if (!Files.isRegularFile(resolve(request, file))) {
                    return false;
                }
            }
            return true;
        }

        int count(String prefix) {
            return (int) files.stream().filter(f -> f.startsWith(prefix)).count();
        }

        static Path resolve(Request request, String entry) {
            return entry.startsWith("sources:")
                    ? request.sourceDir().resolve(entry.substring("sources:".length()))
                    : request.resourceDir().resolve(entry.substring("resources:".length()));
        }
    }
}
