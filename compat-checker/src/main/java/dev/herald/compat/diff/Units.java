package dev.herald.compat.diff;

import java.util.List;

/**
 * Every keyword unit, in the order their findings are reported for one schema. A new rule is a
 * unit here (or a rule in an existing one) plus its examples in {@code rule-examples.txt}.
 */
final class Units {

    static final List<KeywordUnit> ALL = List.of(
            new ClassNameUnit(),
            new TypeUnit(),
            new EnumUnit(),
            new StringUnit(),
            new NumberUnit(),
            new ArrayUnit(),
            new ContainsUnit(),
            new PropertiesUnit(),
            new UndeclaredPropertiesUnit(),
            new PropertyCountUnit(),
            new DependenciesUnit(),
            new CompositionUnit(),
            new NotUnit(),
            new ConditionalUnit());

    /** The units that read each keyword. */
    private static final java.util.Map<String, List<KeywordUnit>> READERS = new java.util.HashMap<>();

    static {
        for (KeywordUnit u : ALL) {
            for (String k : u.keywords()) {
                READERS.computeIfAbsent(k, x -> new java.util.ArrayList<>()).add(u);
            }
        }
    }

    private Units() {
    }

    /** Whether some unit reads {@code keyword} in {@code schema}. */
    static boolean modeled(String keyword, SchemaNode schema) {
        for (KeywordUnit u : READERS.getOrDefault(keyword, List.of())) {
            if (u.reads(keyword, schema)) {
                return true;
            }
        }
        return false;
    }
}
