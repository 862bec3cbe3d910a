package dev.herald.compat;

import dev.herald.schema.Registry;
import dev.herald.schema.RegistryException;
import dev.herald.schema.RegistryLoader;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Consumer;

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
        return run(schemas, against, mode, policy, null, notice);
    }

    /**
     * As {@link #run(Path, String, Mode, Policy, Consumer)}, naming in each finding the services that
     * listen to its event: those registry.json declares, and with {@code registrations} (a
     * {@code redis://} URL, or null) those registered on that running bus.
     */
    public static Report run(Path schemas, String against, Mode mode, Policy policy, String registrations, Consumer<String> notice) {
        boolean hasBaseline = against != null && !against.isBlank();
        if (hasBaseline && against.startsWith("git:") && against.substring(4).isBlank()) {
            throw new CompatException("--against git: needs a ref, e.g. git:origin/main");
        }
        // the baseline first (a folder, or git's tree listing: no file is read yet), so that the
        // current files it holds byte for byte are not checked against the meta-schema again
        Optional<CompatChecker.Baseline> baseline = hasBaseline ? baseline(schemas, against.trim(), notice) : Optional.empty();
        Registry current = load(schemas, "the registry " + schemas,
                doc -> baseline.isPresent() && baseline.get().tree().sameText(doc.relativePath(), doc.text()));
        Config config = CompatChecker.configOf(current);
        if (mode != null) {
            config = config.withMode(mode);
        }
        if (policy != null) {
            config = config.withPolicy(policy);
        }
        Listeners listeners = Listeners.declared(current);
        if (registrations != null && !registrations.isBlank()) {
            listeners = listeners.with(live(registrations.trim(), current.namespace(), notice));
        }
        CompatChecker checker = new CompatChecker(config, java.time.LocalDate.now(java.time.ZoneOffset.UTC), listeners);
        if (!hasBaseline) {
            notice.accept("no baseline given: versions are checked against each other, but published files are not guarded "
                    + "against edits and deletions (add --against git:origin/main, or a folder)");
            return checker.check(current, null);
        }
        return checker.check(current, baseline.orElse(null));
    }

    private static java.util.Map<String, java.util.Set<String>> live(String url, String namespace, Consumer<String> notice) {
        try {
            return LiveRegistrations.read(url, namespace, notice);
        } catch (NoClassDefFoundError e) {
            throw new CompatException("--registrations needs the Herald SDK runtime on the class path: run the herald-compat CLI jar, "
                    + "or declare \"listens\" per service in registry.json", e);
        }
    }

    /** The baseline as a lazily read tree; empty when a git ref has no registry folder yet. */
    private static Optional<CompatChecker.Baseline> baseline(Path schemas, String against, Consumer<String> notice) {
        if (!against.startsWith("git:")) {
            return Optional.of(new CompatChecker.Baseline(BaselineTree.ofFolder(Path.of(against))));
        }
        String ref = against.substring(4).trim();
        Optional<BaselineTree> tree = GitBaseline.tree(schemas, ref);
        if (tree.isEmpty()) {
            notice.accept(ref + " has no registry at " + schemas + " yet; checking the versions only.");
        }
        return tree.map(CompatChecker.Baseline::new);
    }

    private static Registry load(Path dir, String what, java.util.function.Predicate<dev.herald.schema.SchemaDocument> checkedBefore) {
        try {
            return RegistryLoader.load(dir, checkedBefore);
        } catch (RegistryException e) {
            throw new CompatException(what + " does not load:\n" + e.getMessage(), e);
        }
    }
}
