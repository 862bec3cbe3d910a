package dev.herald.compat;

import static dev.herald.compat.Category.JAVA_SOURCE;
import static dev.herald.compat.Category.REGISTRY;
import static dev.herald.compat.Category.WIRE;

/**
 * Every check the gate makes. IDs are stable: they appear in reports, in {@code compat.json}
 * (skip, severity, exceptions) and in {@code docs/compatibility.md}.
 *
 * <p>For wire rules, "breaks" says which direction a change of this kind usually breaks:
 * {@code backward} (new readers reject old data), {@code forward} (old readers reject new data) or
 * {@code both}; the engine computes the actual direction for each finding, and the mode decides
 * whether it fails.
 */
public enum Rule {
    // ---- properties
    PROPERTY_REMOVED(WIRE, "forward", "a property was removed: readers on the old schema lose its value, and old data still carries it",
            "keep the property and mark it \"deprecated\": true; once no reader uses it, remove it and list its name in the object's \"x-reserved\""),
    PROPERTY_ADDED(WIRE, "depends", "a property was added where the old schema allowed any value (open object) or none (closed object) for that name",
            "give the new property the schema the old object already allowed for unknown names, or use a name the old schema constrained the same way"),
    PROPERTY_RENAMED(WIRE, "both", "a property was removed and another of the same shape added: a rename, which old and new readers do not understand",
            "do not rename on the wire: keep the old property (\"deprecated\": true), add the new one with \"x-aliases\": [old name], have writers fill both, and remove the old one only when no reader uses it (then list it in \"x-reserved\")"),
    RESERVED_NAME_REUSED(WIRE, "both", "a property uses a name listed in \"x-reserved\": old data may still carry that name with another meaning",
            "choose another name; reserved names belonged to removed properties"),
    RESERVED_NAME_DROPPED(WIRE, "both", "a name was taken out of \"x-reserved\", so it could come back with another meaning",
            "put the name back into \"x-reserved\""),
    REQUIRED_ADDED(WIRE, "backward", "a property became required: data written with the old schema may lack it",
            "leave the property optional (readers can treat a missing value as a default)"),
    REQUIRED_REMOVED(WIRE, "forward", "a property is no longer required: readers on the old schema expect it in every event",
            "keep the property required while any reader relies on it"),
    // ---- types, values
    TYPE_NARROWED(WIRE, "backward", "a type was removed from the accepted types: old data of that type is rejected",
            "keep accepting the old type (a union \"type\": [old, new] or an anyOf)"),
    TYPE_WIDENED(WIRE, "forward", "a type was added to the accepted types (integer to number counts): old readers reject values of the new type",
            "publish the new type as a new property, or a new event, and keep writing the old one"),
    TYPE_CHANGED(WIRE, "both", "the accepted type changed: neither old nor new readers understand the other's data",
            "add a new property with the new type, deprecate the old one, and write both"),
    ENUM_VALUE_REMOVED(WIRE, "backward", "an enum (or const) value was removed: old data carrying it is rejected",
            "keep the value; mark it deprecated in the description and stop writing it"),
    ENUM_VALUE_ADDED(WIRE, "forward", "an enum (or const) value was added: old readers do not know it (generated SDK enums read it as UNKNOWN)",
            "make sure every reader handles UNKNOWN before writers send the new value"),
    ENUM_ADDED(WIRE, "backward", "an enum or const was introduced on a value that was free before",
            "do not restrict an existing value; add a new property with the restricted values instead"),
    ENUM_REMOVED(WIRE, "forward", "an enum or const was dropped: writers may now send values old readers reject",
            "keep the enum; add values one by one (each a forward-compatible change for the generated readers)"),
    // ---- strings
    MIN_LENGTH_INCREASED(WIRE, "backward", "minLength was added or raised: shorter old values are rejected", "keep the old minLength"),
    MIN_LENGTH_DECREASED(WIRE, "forward", "minLength was lowered or removed: old readers reject the shorter values now allowed", "keep the old minLength"),
    MAX_LENGTH_DECREASED(WIRE, "backward", "maxLength was added or lowered: longer old values are rejected", "keep the old maxLength"),
    MAX_LENGTH_INCREASED(WIRE, "forward", "maxLength was raised or removed: old readers reject the longer values now allowed", "keep the old maxLength"),
    PATTERN_ADDED(WIRE, "backward", "a pattern was added: old values that do not match are rejected", "do not add a pattern to an existing property; validate in the writer instead"),
    PATTERN_REMOVED(WIRE, "forward", "the pattern was removed: old readers reject values that do not match it", "keep the pattern"),
    PATTERN_CHANGED(WIRE, "both", "the pattern changed: a value one pattern accepts and the other refuses is shown (a widened pattern breaks only old readers of new data; patterns outside the regular subset count both ways)", "widen a pattern rather than narrow it; keep the old pattern if it must narrow, or add a new property"),
    FORMAT_ADDED(WIRE, "backward", "a format was added: old values not in that format are rejected (generated code validates formats)", "do not add a format to an existing property"),
    FORMAT_REMOVED(WIRE, "forward", "the format was removed: old readers reject values not in that format", "keep the format"),
    FORMAT_CHANGED(WIRE, "both", "the format changed: values valid under one are invalid under the other", "keep the old format; add a new property for the new one"),
    CONTENT_CHANGED(WIRE, "depends", "contentEncoding, contentMediaType or contentSchema changed", "keep the old content encoding and media type"),
    // ---- numbers
    MINIMUM_INCREASED(WIRE, "backward", "minimum or exclusiveMinimum was added or raised: smaller old values are rejected", "keep the old lower bound"),
    MINIMUM_DECREASED(WIRE, "forward", "minimum or exclusiveMinimum was lowered or removed: old readers reject the smaller values now allowed", "keep the old lower bound"),
    MAXIMUM_DECREASED(WIRE, "backward", "maximum or exclusiveMaximum was added or lowered: larger old values are rejected", "keep the old upper bound"),
    MAXIMUM_INCREASED(WIRE, "forward", "maximum or exclusiveMaximum was raised or removed: old readers reject the larger values now allowed", "keep the old upper bound"),
    MULTIPLE_OF_CHANGED(WIRE, "depends", "multipleOf changed: a divisor of the old one widens, a multiple narrows, anything else does both", "keep the old multipleOf"),
    // ---- arrays
    ITEMS_FORBIDDEN(WIRE, "backward", "array positions that accepted values now accept none (items or additionalItems false, a shorter closed tuple)", "keep accepting the old items"),
    ITEMS_ALLOWED(WIRE, "forward", "array positions that accepted nothing now accept values: old readers reject them", "keep the tuple closed; add a new property for longer arrays"),
    MIN_ITEMS_INCREASED(WIRE, "backward", "minItems was added or raised: shorter old arrays are rejected", "keep the old minItems"),
    MIN_ITEMS_DECREASED(WIRE, "forward", "minItems was lowered or removed: old readers reject the shorter arrays now allowed", "keep the old minItems"),
    MAX_ITEMS_DECREASED(WIRE, "backward", "maxItems was added or lowered: longer old arrays are rejected", "keep the old maxItems"),
    MAX_ITEMS_INCREASED(WIRE, "forward", "maxItems was raised or removed: old readers reject the longer arrays now allowed", "keep the old maxItems"),
    UNIQUE_ITEMS_ADDED(WIRE, "backward", "uniqueItems was turned on: old arrays with duplicates are rejected", "keep uniqueItems off; deduplicate in the reader"),
    UNIQUE_ITEMS_REMOVED(WIRE, "forward", "uniqueItems was turned off: old readers reject arrays with duplicates", "keep uniqueItems"),
    MIN_CONTAINS_INCREASED(WIRE, "backward", "minContains was raised (absent is 1): old arrays with fewer matching items are rejected", "keep the old minContains"),
    MIN_CONTAINS_DECREASED(WIRE, "forward", "minContains was lowered: old readers reject arrays with fewer matching items", "keep the old minContains"),
    MAX_CONTAINS_DECREASED(WIRE, "backward", "maxContains was added or lowered: old arrays with more matching items are rejected", "keep the old maxContains"),
    MAX_CONTAINS_INCREASED(WIRE, "forward", "maxContains was raised or removed: old readers reject arrays with more matching items", "keep the old maxContains"),
    // ---- objects
    ADDITIONAL_PROPERTIES_CLOSED(WIRE, "backward", "additionalProperties now refuses names it accepted (false, or a narrower schema)", "keep the object open as before"),
    ADDITIONAL_PROPERTIES_OPENED(WIRE, "forward", "additionalProperties now accepts names it refused: old readers reject them", "keep the object closed; declare the new property explicitly in a new version"),
    PATTERN_PROPERTY_ADDED(WIRE, "backward", "a patternProperties entry was added: names matching it are constrained now", "do not constrain names old data may use"),
    PATTERN_PROPERTY_REMOVED(WIRE, "forward", "a patternProperties entry was removed: names matching it are no longer constrained", "keep the patternProperties entry"),
    MIN_PROPERTIES_INCREASED(WIRE, "backward", "minProperties was added or raised", "keep the old minProperties"),
    MIN_PROPERTIES_DECREASED(WIRE, "forward", "minProperties was lowered or removed", "keep the old minProperties"),
    MAX_PROPERTIES_DECREASED(WIRE, "backward", "maxProperties was added or lowered", "keep the old maxProperties"),
    MAX_PROPERTIES_INCREASED(WIRE, "forward", "maxProperties was raised or removed", "keep the old maxProperties"),
    DEPENDENT_REQUIRED_ADDED(WIRE, "backward", "dependentRequired (or dependencies) now requires more properties", "keep the old dependentRequired"),
    DEPENDENT_REQUIRED_REMOVED(WIRE, "forward", "dependentRequired (or dependencies) requires fewer properties: old readers expect them", "keep the old dependentRequired"),
    // ---- composition and other keywords
    COMPOSITION_BRANCH_ADDED(WIRE, "depends", "a subschema was added to allOf (narrows) or to anyOf/oneOf (widens; in oneOf, a branch that may overlap another also rejects values that now match two)", "keep the composition as it was; put new shapes in a new property"),
    COMPOSITION_BRANCH_REMOVED(WIRE, "depends", "a subschema was removed from allOf (widens) or from anyOf/oneOf (narrows; in oneOf, removing a branch that may overlap another also accepts values that matched two)", "keep the subschema"),
    COMPOSITION_CHANGED(WIRE, "depends", "allOf, anyOf or oneOf was added, removed, or replaced by another of them, or a oneOf branch that may overlap a sibling changed", "keep the composition keyword as it was"),
    CONSTRAINT_ADDED(WIRE, "backward", "a constraint keyword (not, contains, propertyNames, dependentSchemas, if/then/else, ...) was added", "do not add constraints to data old writers produce"),
    CONSTRAINT_REMOVED(WIRE, "forward", "a constraint keyword was removed: old readers still enforce it", "keep the constraint"),
    CONSTRAINT_CHANGED(WIRE, "both", "a keyword changed in a way Herald cannot order (an if condition, an unknown keyword)", "keep the keyword as it was"),
    // ---- Java source
    JAVA_CLASS_RENAMED(JAVA_SOURCE, "none", "the generated class of an object or enum gets another name (its title changed, or the $defs entry, property or types/ file it is named after): code that names the class stops compiling",
            "keep the name: keep the title (or add \"title\" with the old class name); put new wording in description"),
    JAVA_TYPE_CHANGED(JAVA_SOURCE, "none", "the generated Java type of a property changed (integer to number turns Long into BigDecimal; a new format changes String into a date, UUID or URI type)",
            "keep the type; add a new property with the new type"),
    ENUM_CONSTANT_RENAMED(JAVA_SOURCE, "none", "an enum value was replaced by another (or its x-enum-varnames changed): the Java constant is renamed and code that names it stops compiling",
            "keep the old value (and constant) next to the new one"),
    // ---- registry
    PUBLISHED_VERSION_MODIFIED(REGISTRY, "both", "a published version file was edited: it is immutable, consumers already validate against it",
            "revert the file to the baseline and put the change in a new version file vN+1.json"),
    PUBLISHED_SCHEMA_CHANGED(REGISTRY, "both", "a published version changed meaning through a shared type it references (types/...)",
            "leave the shared type as it was; create a new type file and reference it from a new version"),
    EVENT_REMOVED(REGISTRY, "both", "an event was deleted: producers and consumers of it break",
            "restore the event and mark its newest version \"deprecated\": true; add a replacement event"),
    VERSION_REMOVED(REGISTRY, "both", "a published version file was deleted: events already written with it can no longer be validated",
            "restore the version file; versions are never deleted"),
    SERVICE_REMOVED(REGISTRY, "both", "a service was removed from registry.json: its events and listeners lose their owner",
            "restore the service entry; mark its events deprecated instead"),
    EXCEPTION_UNUSED(REGISTRY, "none", "an exception in compat.json matches no finding: it is stale, and would silently hide the next break at that place",
            "remove the exception from compat.json");

    private final Category category;
    private final String breaks;
    private final String meaning;
    private final String fix;

    Rule(Category category, String breaks, String meaning, String fix) {
        this.category = category;
        this.breaks = breaks;
        this.meaning = meaning;
        this.fix = fix;
    }

    public String id() {
        return name();
    }

    public Category category() {
        return category;
    }

    /** Which direction this kind of change usually breaks (documentation; the engine decides per finding). */
    public String breaks() {
        return breaks;
    }

    public Severity defaultSeverity() {
        return category == JAVA_SOURCE || this == EXCEPTION_UNUSED ? Severity.WARNING : Severity.ERROR;
    }

    public String meaning() {
        return meaning;
    }

    public String fix() {
        return fix;
    }

    public static Rule parse(String id) {
        try {
            return valueOf(id.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown rule '" + id + "' (run `herald-compat rules` for the list)");
        }
    }
}
