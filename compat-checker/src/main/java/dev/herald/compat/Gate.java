package dev.herald.compat;

import dev.herald.schema.Registry;
import dev.herald.schema.RegistryException;
import dev.herald.schema.RegistryLoader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * The whole gate in one call, as the CLI and the Maven goal run it: load the registry and its
 * compat.json, load the baseline (a git ref or a folder) if any, check, return the report.
 */
public final class Gate {

    private Gate() {
    }

    /**
     * @param schemas  the registry folder
     * @param against  null, {@code git:REF}, or a folder holding the baseline registry
     * @param mode     overrides compat.json when not null
     * @param policy   overrides compat.json when not null
     * @param notice   receives remarks that are not findings (a baseline without a registry yet)
     * @throws CompatException for any usage or input problem (exit code 2)
     */
    public static Report run(Path schemas, String against, Mode mode, Policy policy, Consumer<String> notice) {
        boolean hasBaseline = against != null && !against.isBlank();
        if (hasBaseline && against.startsWith("git:") && against.substring(4).isBlank()) {
            throw new CompatException("--against git: needs a ref, e.g. git:origin/main");
        }
        // the baseline (a git ref or a folder) is read and loaded on another thread while the current registry loads
        CompletableFuture<Optional<CompatChecker.Baseline>> baselineLoad = hasBaseline
                ? CompletableFuture.supplyAsync(() -> baseline(schemas, against.trim(), notice))
                : null;
        Registry current = load(schemas, "the registry " + schemas);
        Config config = CompatChecker.configOf(current);
        if (mode != null) {
            config = config.withMode(mode);
        }
        if (policy != null) {
            config = config.withPolicy(policy);
        }
        CompatChecker checker = new CompatChecker(config);
        if (!hasBaseline) {
            notice.accept("no baseline given: versions are checked against each other, but published files are not guarded "
                    + "against edits and deletions (add --against git:origin/main, or a folder)");
            return checker.check(current, null);
        }
        Optional<CompatChecker.Baseline> baseline;
        try {
            baseline = baselineLoad.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof CompatException c ? c : new CompatException(String.valueOf(e.getCause()), e.getCause());
        }
        return checker.check(current, baseline.orElse(null));
    }

    /** Reads and loads the baseline; empty when a git ref has no registry folder yet. */
    private static Optional<CompatChecker.Baseline> baseline(Path schemas, String against, Consumer<String> notice) {
        if (!against.startsWith("git:")) {
            Path dir = Path.of(against);
            Registry base = load(dir, "the baseline registry " + dir);
            String shown = dir.toString().replace('\\', '/');
            return Optional.of(new CompatChecker.Baseline(base, shown, shown.endsWith("/") ? shown : shown + "/"));
        }
        String ref = against.substring(4).trim();
        Path tmp = null;
        try {
            tmp = Files.createTempDirectory("herald-baseline-");
            Optional<GitBaseline.Extracted> ex = GitBaseline.extract(schemas, ref, tmp);
            if (ex.isEmpty()) {
                notice.accept(ref + " has no registry at " + schemas + " yet; checking the versions only.");
                return Optional.empty();
            }
            try {
                // the loaded registry keeps every file's text in memory: the folder can go afterwards
                return Optional.of(new CompatChecker.Baseline(RegistryLoader.load(ex.get().folder()), ex.get().label(), ex.get().displayPrefix()));
            } catch (RegistryException e) {
                throw new CompatException("the baseline registry at " + ref + " does not load:\n"
                        + e.getMessage().replace(tmp.toString() + "/", ex.get().displayPrefix()), e);
            }
        } catch (IOException e) {
            throw new CompatException("cannot create a temporary folder: " + e.getMessage(), e);
        } finally {
            delete(tmp);
        }
    }

    private static Registry load(Path dir, String what) {
        try {
            return RegistryLoader.load(dir);
        } catch (RegistryException e) {
            throw new CompatException(what + " does not load:\n" + e.getMessage(), e);
        }
    }

    private static void delete(Path dir) {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.delete(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException | UncheckedIOException e) {
            // a leftover temporary folder is harmless
        }
    }
}
