package dev.herald.compat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.schema.SchemaDocument;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The gate's configuration, {@code schemas/compat.json}:
 *
 * <pre>{@code
 * {
 *   "mode": "FULL_TRANSITIVE",
 *   "policy": "robust",
 *   "skip": ["JAVA_CLASS_RENAMED"],
 *   "severity": {"java-source": "error", "ENUM_VALUE_ADDED": "info"},
 *   "exceptions": [
 *     {"rule": "PROPERTY_REMOVED", "path": "events/order.created/v3.json#/properties/legacyId",
 *      "reason": "never filled in production, see issue #42", "expires": "2027-01-31"}
 *   ]
 * }
 * }</pre>
 */
public record Config(Mode mode, Policy policy, Set<Rule> skip, Map<Rule, Severity> ruleSeverity,
                     Map<Category, Severity> categorySeverity, List<Waiver> exceptions) {

    public static final Mode DEFAULT_MODE = Mode.FULL_TRANSITIVE;
    public static final Policy DEFAULT_POLICY = Policy.ROBUST;

    /** An accepted finding: rule, where ("events/x/v3.json#/properties/y"; the pointer part is optional), why, until when. */
    public record Waiver(Rule rule, String file, String pointer, String reason, LocalDate expires, Location location) {

        public boolean matches(Rule r, String relativeFile, String path) {
            if (r != rule || !file.equals(relativeFile)) {
                return false;
            }
            if (pointer.isEmpty() || pointer.equals("/")) {
                return true;
            }
            return path.equals(pointer) || path.startsWith(pointer + "/");
        }

        public boolean expired(LocalDate today) {
            return expires != null && today.isAfter(expires);
        }

        public String path() {
            return pointer.isEmpty() ? file : file + "#" + pointer;
        }
    }

    public static Config defaults() {
        return new Config(DEFAULT_MODE, DEFAULT_POLICY, Set.of(), Map.of(), Map.of(), List.of());
    }

    public Config withMode(Mode m) {
        return new Config(m, policy, skip, ruleSeverity, categorySeverity, exceptions);
    }

    public Config withPolicy(Policy p) {
        return new Config(mode, p, skip, ruleSeverity, categorySeverity, exceptions);
    }

    /** The severity of a finding of this rule that fails the mode (or is a warning by nature). */
    public Severity severityOf(Rule rule, Severity natural) {
        Severity s = ruleSeverity.get(rule);
        if (s != null) {
            return s;
        }
        s = categorySeverity.get(rule.category());
        return s != null ? s : natural;
    }

    /** Reads compat.json; every problem is reported with its file, line and column. */
    public static Config parse(SchemaDocument document) {
        JsonNode root = document.root();
        List<String> problems = new ArrayList<>();
        if (!root.isObject()) {
            throw new CompatException(document.locate("").fileLineColumn() + ": compat.json must be a JSON object");
        }
        Mode mode = DEFAULT_MODE;
        Policy policy = DEFAULT_POLICY;
        Set<Rule> skip = EnumSet.noneOf(Rule.class);
        Map<Rule, Severity> ruleSeverity = new EnumMap<>(Rule.class);
        Map<Category, Severity> categorySeverity = new EnumMap<>(Category.class);
        List<Waiver> exceptions = new ArrayList<>();
        for (Map.Entry<String, JsonNode> e : root.properties()) {
            String key = e.getKey();
            JsonNode v = e.getValue();
            String at = document.locate("/" + Pointers.escape(key)).fileLineColumn() + ": ";
            try {
                switch (key) {
                    case "$schema", "$comment", "description" -> { }
                    case "mode" -> mode = Mode.parse(v.asText());
                    case "policy" -> policy = Policy.parse(v.asText());
                    case "skip" -> {
                        if (!v.isArray()) {
                            throw new IllegalArgumentException("\"skip\" must be an array of rule IDs");
                        }
                        for (JsonNode r : v) {
                            skip.add(Rule.parse(r.asText()));
                        }
                    }
                    case "severity" -> {
                        if (!v.isObject()) {
                            throw new IllegalArgumentException("\"severity\" must map a rule ID or a category (wire, java-source, registry) to error, warning or info");
                        }
                        for (Map.Entry<String, JsonNode> se : v.properties()) {
                            Severity sev = Severity.parse(se.getValue().asText());
                            if (se.getKey().equals(se.getKey().toUpperCase(java.util.Locale.ROOT)) && se.getKey().contains("_")) {
                                ruleSeverity.put(Rule.parse(se.getKey()), sev);
                            } else {
                                categorySeverity.put(Category.parse(se.getKey()), sev);
                            }
                        }
                    }
                    case "exceptions" -> {
                        if (!v.isArray()) {
                            throw new IllegalArgumentException("\"exceptions\" must be an array of {rule, path, reason, expires?}");
                        }
                        for (int i = 0; i < v.size(); i++) {
                            exceptions.add(parseException(document, v.get(i), "/exceptions/" + i));
                        }
                    }
                    default -> throw new IllegalArgumentException("unknown key \"" + key + "\" (mode, policy, skip, severity, exceptions)");
                }
            } catch (IllegalArgumentException | CompatException ex) {
                problems.add((ex instanceof CompatException ? "" : at) + ex.getMessage());
            }
        }
        if (!problems.isEmpty()) {
            throw new CompatException("invalid compat.json:\n" + String.join("\n", problems));
        }
        return new Config(mode, policy, Set.copyOf(skip), Map.copyOf(ruleSeverity), Map.copyOf(categorySeverity), List.copyOf(exceptions));
    }

    private static Waiver parseException(SchemaDocument document, JsonNode e, String pointer) {
        String at = document.locate(pointer).fileLineColumn() + ": ";
        if (!e.isObject() || !e.hasNonNull("rule") || !e.hasNonNull("path") || !e.hasNonNull("reason")
                || e.get("reason").asText().isBlank()) {
            throw new CompatException(at + "an exception needs \"rule\", \"path\" and a non-empty \"reason\"");
        }
        Rule rule;
        try {
            rule = Rule.parse(e.get("rule").asText());
        } catch (IllegalArgumentException ex) {
            throw new CompatException(at + ex.getMessage());
        }
        String path = e.get("path").asText();
        if (path.startsWith("schemas/")) {
            path = path.substring("schemas/".length());
        }
        int hash = path.indexOf('#');
        String file = hash < 0 ? path : path.substring(0, hash);
        String ptr = hash < 0 ? "" : path.substring(hash + 1);
        LocalDate expires = null;
        if (e.hasNonNull("expires")) {
            try {
                expires = LocalDate.parse(e.get("expires").asText());
            } catch (DateTimeParseException ex) {
                throw new CompatException(at + "\"expires\" must be a date like 2027-01-31");
            }
        }
        return new Waiver(rule, file, ptr, e.get("reason").asText(), expires, new Location(document.path().toString().replace('\\', '/'),
                document.locate(pointer).line(), document.locate(pointer).column(), pointer));
    }
}
