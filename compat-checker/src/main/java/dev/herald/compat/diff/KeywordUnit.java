package dev.herald.compat.diff;

import dev.herald.compat.Rule;
import java.util.Set;

/**
 * One group of keywords the diff compares: the keywords it reads, the rules it may report, and
 * the comparison. Units are registered in {@link Units#ALL}; a keyword no unit reads is compared
 * by the walker as unmodeled (any change to it breaks both ways), so adding a unit is the only
 * way to make the gate understand a keyword.
 */
interface KeywordUnit {

    /** The keywords this unit reads. */
    Set<String> keywords();

    /**
     * The keywords this unit reads in this schema; by default all of {@link #keywords()} the
     * schema's draft defines. A unit narrows it where a keyword's meaning depends on its
     * neighbours (additionalItems means something only next to a tuple).
     */
    default boolean reads(String keyword, SchemaNode schema) {
        return keywords().contains(keyword) && schema.defines(keyword);
    }

    /** The rules this unit may report; reporting another is a programming error. */
    Set<Rule> rules();

    /** Whether the unit looks at two schemas whose JSON is equal (names of generated classes may still differ). */
    default boolean comparesEqualSchemas() {
        return false;
    }

    /**
     * Whether the unit applies to values of the two schemas' types (null: any type); a string rule
     * does not apply where neither schema accepts strings.
     */
    default boolean appliesTo(Set<String> oldTypes, Set<String> newTypes) {
        return true;
    }

    void compare(SchemaNode o, SchemaNode n, Scope s);
}
