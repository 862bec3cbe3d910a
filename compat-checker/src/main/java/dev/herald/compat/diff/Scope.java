package dev.herald.compat.diff;

import dev.herald.compat.Category;
import dev.herald.compat.Change;
import dev.herald.compat.Pointers;
import dev.herald.compat.Policy;
import dev.herald.compat.Rule;
import java.util.Set;

/**
 * Where a comparison stands: the logical path, whether the sense is inverted (inside {@code not}),
 * which rules report a subschema that now accepts nothing or something, and the unit comparing.
 * Units recurse and report only through it.
 */
final class Scope {

    private final SchemaDiff walker;
    private final String path;
    private final boolean inverted;
    final Rule forbid;
    final Rule allow;
    private final KeywordUnit unit;

    Scope(SchemaDiff walker, String path, boolean inverted, Rule forbid, Rule allow, KeywordUnit unit) {
        this.walker = walker;
        this.path = path;
        this.inverted = inverted;
        this.forbid = forbid;
        this.allow = allow;
        this.unit = unit;
    }

    Scope forUnit(KeywordUnit u) {
        return new Scope(walker, path, inverted, forbid, allow, u);
    }

    boolean inverted() {
        return inverted;
    }

    Policy policy() {
        return walker.policy;
    }

    /** The logical path of this schema. */
    String path() {
        return path;
    }

    /** The path below this schema, one token per step (escaped). */
    String path(String... tokens) {
        String p = path;
        for (String t : tokens) {
            p = Pointers.child(p, t);
        }
        return p;
    }

    /** Compares two subschemas at {@code subPath}; a subschema that becomes false or stops being false counts as ITEMS_*. */
    void compare(SchemaNode o, SchemaNode n, String subPath) {
        compare(o, n, subPath, Rule.ITEMS_FORBIDDEN, Rule.ITEMS_ALLOWED);
    }

    /** Compares two subschemas; {@code forbid}/{@code allow} report one that now accepts nothing / something. */
    void compare(SchemaNode o, SchemaNode n, String subPath, Rule forbid, Rule allow) {
        walker.compare(o, n, new Scope(walker, subPath, inverted, forbid, allow, null));
    }

    /** Compares two subschemas whose sense is negated ({@code not}): narrowing them widens this one. */
    void compareNegated(SchemaNode o, SchemaNode n, String subPath, Rule forbid, Rule allow) {
        walker.compare(o, n, new Scope(walker, subPath, !inverted, forbid, allow, null));
    }

    /** The directions all differences between two subschemas break, as if compared alone, reporting nothing. */
    Breaks trial(SchemaNode o, SchemaNode n, String subPath) {
        return walker.trial(o, n, subPath);
    }

    /** Types that enclosing schemas impose on the path (the same in old and new), or null. */
    Set<String> impliedTypes(String at) {
        return walker.impliedTypes.get(at);
    }

    void imply(String at, Set<String> types) {
        walker.impliedTypes.put(at, types);
    }

    /** Starts a report of {@code rule} at {@code at} (a path from {@link #path(String...)}). */
    Report change(Rule rule, String at) {
        if (unit != null && !unit.rules().contains(rule) && rule != forbid && rule != allow) {
            throw new IllegalStateException(unit.getClass().getSimpleName() + " reports " + rule + " but does not declare it");
        }
        return new Report(rule, at);
    }

    /** A change being described: where, old and new value, then {@link #breaks}. */
    final class Report {
        private final Rule rule;
        private final String at;
        private SchemaNode oldNode;
        private SchemaNode newNode;
        private String oldValue = "";
        private String newValue = "";
        private boolean advisory;

        private Report(Rule rule, String at) {
            this.rule = rule;
            this.at = at;
        }

        /** The nodes whose locations the finding points at. */
        Report between(SchemaNode o, SchemaNode n) {
            this.oldNode = o;
            this.newNode = n;
            return this;
        }

        Report values(String o, String n) {
            this.oldValue = o;
            this.newValue = n;
            return this;
        }

        /** Reported even when it breaks nobody (a warning, e.g. an enum value the old SDK reads as UNKNOWN). */
        Report advisory(boolean on) {
            this.advisory = on;
            return this;
        }

        /** Records the change, breaking {@code breaks} as seen at this path (inverted inside not). */
        void breaks(Breaks breaks, String message) {
            Breaks b = inverted && rule.category() == Category.WIRE ? breaks.inverted() : breaks;
            if (b == Breaks.NONE && !advisory && rule.category() == Category.WIRE) {
                return;
            }
            walker.out.add(new Change(rule, at.isEmpty() ? "/" : at, oldNode.location(), newNode.location(),
                    oldValue, newValue, b.backward(), b.forward(), advisory, message));
        }
    }
}
