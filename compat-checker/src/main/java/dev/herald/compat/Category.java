package dev.herald.compat;

/** What a finding breaks. */
public enum Category {
    /** Data on the wire: a reader may reject or misread what a writer sends. */
    WIRE("wire"),
    /** The wire is fine, but Java code compiled against the generated SDK stops compiling. */
    JAVA_SOURCE("java-source"),
    /** The registry itself: published files, events, versions and services are immutable. */
    REGISTRY("registry");

    private final String id;

    Category(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }

    public static Category parse(String text) {
        for (Category c : values()) {
            if (c.id.equalsIgnoreCase(text) || c.name().equalsIgnoreCase(text)) {
                return c;
            }
        }
        throw new IllegalArgumentException("unknown category '" + text + "' (wire, java-source, registry)");
    }
}
